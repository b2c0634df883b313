//! The adapter and device, requested once.

use super::RenderError;

/// A device and its queue, with what the adapter said about itself.
pub struct Gpu {
    pub instance: wgpu::Instance,
    pub adapter: wgpu::Adapter,
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
}

impl Gpu {
    /// Any adapter, for offscreen work. `WGPU_BACKEND` (vulkan, gl) and `WGPU_ADAPTER_NAME` pick
    /// one explicitly; without them wgpu prefers a real GPU and falls back to lavapipe.
    pub fn offscreen() -> Result<Gpu, RenderError> {
        let from_env = wgpu::InstanceDescriptor::new_without_display_handle_from_env;
        if std::env::var_os("WGPU_BACKEND").is_some() {
            return Gpu::with_instance(wgpu::Instance::new(from_env()), None);
        }
        // Vulkan first (a real GPU, else lavapipe); GL only if Vulkan finds nothing. Asking both
        // at once makes EGL log a frightening error on machines without a DRI driver.
        let mut vulkan = from_env();
        vulkan.backends = wgpu::Backends::VULKAN;
        match Gpu::with_instance(wgpu::Instance::new(vulkan), None) {
            Ok(gpu) => Ok(gpu),
            Err(_) => Gpu::with_instance(wgpu::Instance::new(from_env()), None),
        }
    }

    pub fn with_instance(
        instance: wgpu::Instance,
        surface: Option<&wgpu::Surface>,
    ) -> Result<Gpu, RenderError> {
        let adapter = pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            force_fallback_adapter: false,
            compatible_surface: surface,
            apply_limit_buckets: false,
        }))
        .map_err(|e| RenderError::NoAdapter(e.to_string()))?;
        // The adapter's own limits: the defaults cap textures, and so the glyph atlas, at 8192.
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("noticecast"),
            required_limits: adapter.limits(),
            ..Default::default()
        }))
        .map_err(|e| RenderError::Device(e.to_string()))?;
        Ok(Gpu {
            instance,
            adapter,
            device,
            queue,
        })
    }

    /// `NVIDIA H100 (Vulkan)`, `llvmpipe (LLVM 15.0.6, 256 bits) (Vulkan)`: for logs and reports.
    pub fn adapter_name(&self) -> String {
        let info = self.adapter.get_info();
        format!("{} ({:?})", info.name, info.backend)
    }
}
