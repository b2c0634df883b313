//! The player's window under a Wayland compositor (cage, on the screens as deployed), beyond what
//! winit offers, spoken on winit's own connection:
//!
//! - the running band gets a `wl_subsurface` of its own, so that while only the ticker moves only
//!   the band is committed and the compositor composites a strip instead of the whole output
//!   every frame (X11 gets the same from a child window, `gfx::Band`);
//! - the window's buffer is marked as turned 180° (and drawn turned), which keeps the compositor
//!   compositing instead of scanning the buffer out directly. cage 0.1.4 scans the focused
//!   window's buffer out whenever it can, and then hides its subsurfaces (its count of them is
//!   broken) and, on the headless backend, shows grim a black output. While a band subsurface
//!   covers the bottom of the window, the window's buffers stop above it instead: a buffer
//!   smaller than the output is never scanned out, and the compositor composites the band alone
//!   (a turned page under the band cost cage 8% of a core in pixman's transform path).

use std::ffi::c_void;
use std::ptr::NonNull;

use wayland_backend::client::{Backend, ObjectId};
use wayland_client::globals::{GlobalListContents, registry_queue_init};
use wayland_client::protocol::wl_output::Transform;
use wayland_client::protocol::{
    wl_compositor::WlCompositor, wl_region::WlRegion, wl_registry::WlRegistry,
    wl_subcompositor::WlSubcompositor, wl_subsurface::WlSubsurface, wl_surface::WlSurface,
};
use wayland_client::{Connection, Dispatch, EventQueue, Proxy, QueueHandle};
use winit::raw_window_handle::{
    HasDisplayHandle, HasWindowHandle, RawDisplayHandle, RawWindowHandle, WaylandWindowHandle,
};
use winit::window::Window;

/// Our objects' events (surface enter and leave, and nothing else we need) land here.
struct Events;

impl Dispatch<WlRegistry, GlobalListContents> for Events {
    fn event(
        _: &mut Self,
        _: &WlRegistry,
        _: <WlRegistry as Proxy>::Event,
        _: &GlobalListContents,
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
    }
}

macro_rules! ignore_events {
    ($($t:ty),*) => {$(
        impl Dispatch<$t, ()> for Events {
            fn event(_: &mut Self, _: &$t, _: <$t as Proxy>::Event, _: &(), _: &Connection,
                _: &QueueHandle<Self>) {}
        }
    )*};
}
ignore_events!(
    WlCompositor,
    WlSubcompositor,
    WlSurface,
    WlSubsurface,
    WlRegion
);

/// What the compositor or the connection lacks for the band and the turned buffers.
#[derive(Debug, thiserror::Error)]
pub enum WaylandError {
    #[error("scale factor {0} (only 1 is supported)")]
    ScaleFactor(f64),
    #[error("{0}")]
    Registry(wayland_client::globals::GlobalError),
    #[error("{interface}: {reason}")]
    Bind {
        interface: &'static str,
        reason: wayland_client::globals::BindError,
    },
    #[error("the window's surface: {0}")]
    Surface(wayland_backend::client::InvalidId),
    #[error("wl_surface older than version 2")]
    OldSurface,
    #[error("{0}")]
    Connection(#[from] wayland_backend::client::WaylandError),
}

/// The window's Wayland objects, and the globals to make more.
pub struct Wayland {
    parent: WlSurface,
    compositor: WlCompositor,
    subcompositor: WlSubcompositor,
    queue: EventQueue<Events>,
    conn: Connection,
}

impl Wayland {
    /// `None` when the window is not a Wayland one; an error when the compositor lacks what is
    /// needed.
    pub fn new(window: &Window) -> Option<Result<Wayland, WaylandError>> {
        let RawDisplayHandle::Wayland(display) = window.display_handle().ok()?.as_raw() else {
            return None;
        };
        let RawWindowHandle::Wayland(parent) = window.window_handle().ok()?.as_raw() else {
            return None;
        };
        // Logical and physical pixels differ at another scale: the band would sit elsewhere.
        if window.scale_factor() != 1.0 {
            return Some(Err(WaylandError::ScaleFactor(window.scale_factor())));
        }
        Some(Self::connect(display.display, parent.surface))
    }

    fn connect(display: NonNull<c_void>, parent: NonNull<c_void>) -> Result<Wayland, WaylandError> {
        // SAFETY: winit's display outlives the window, and the window outlives this (`Gfx`
        // drops it before the window).
        let backend = unsafe { Backend::from_foreign_display(display.as_ptr().cast()) };
        let conn = Connection::from_backend(backend);
        let (globals, queue) =
            registry_queue_init::<Events>(&conn).map_err(WaylandError::Registry)?;
        let qh = queue.handle();
        let compositor: WlCompositor =
            globals
                .bind(&qh, 2..=4, ())
                .map_err(|reason| WaylandError::Bind {
                    interface: "wl_compositor",
                    reason,
                })?;
        let subcompositor: WlSubcompositor =
            globals
                .bind(&qh, 1..=1, ())
                .map_err(|reason| WaylandError::Bind {
                    interface: "wl_subcompositor",
                    reason,
                })?;
        // SAFETY: the pointer is the window's live wl_surface, a proxy of this same display.
        let parent_id =
            unsafe { ObjectId::from_ptr(WlSurface::interface(), parent.as_ptr().cast()) }
                .map_err(WaylandError::Surface)?;
        let parent = WlSurface::from_id(&conn, parent_id).map_err(WaylandError::Surface)?;
        Ok(Wayland {
            parent,
            compositor,
            subcompositor,
            queue,
            conn,
        })
    }

    /// Marks the window's next buffers as turned 180° (or not): the player draws them turned,
    /// the compositor turns them back and, unable to scan them out, composites (see the top).
    pub fn keep_composited(&self, turned: bool) -> Result<(), WaylandError> {
        if self.parent.version() < 2 {
            return Err(WaylandError::OldSurface);
        }
        self.parent.set_buffer_transform(if turned {
            Transform::_180
        } else {
            Transform::Normal
        });
        Ok(self.conn.flush()?)
    }

    /// A subsurface of the window at `(x, y)` in window pixels, taking no input (touches on the
    /// band reach the window below).
    pub fn subsurface(&self, (x, y): (i32, i32)) -> Result<Subsurface, WaylandError> {
        let qh = self.queue.handle();
        let surface = self.compositor.create_surface(&qh, ());
        let subsurface = self
            .subcompositor
            .get_subsurface(&surface, &self.parent, &qh, ());
        // Placed when the window next commits (the player presents the page right after).
        subsurface.set_position(x, y);
        // Its own commits show at once, without waiting for the window's.
        subsurface.set_desync();
        let region = self.compositor.create_region(&qh, ());
        surface.set_input_region(Some(&region));
        region.destroy();
        surface.commit();
        self.conn.flush()?;
        Ok(Subsurface {
            surface,
            subsurface,
            conn: self.conn.clone(),
        })
    }

    /// Moves `sub` to `(x, y)` in window pixels: the window commits (nothing else) so that the
    /// compositor takes the new position.
    pub fn move_subsurface(&self, sub: &Subsurface, (x, y): (i32, i32)) {
        sub.subsurface.set_position(x, y);
        self.parent.commit();
        let _ = self.conn.flush();
    }

    /// Drops the events of our objects that piled up (enter, leave); once per band frame.
    pub fn pump(&mut self) {
        let _ = self.queue.dispatch_pending(&mut Events);
    }
}

/// A surface placed over part of the window, drawn and committed on its own.
pub struct Subsurface {
    surface: WlSurface,
    subsurface: WlSubsurface,
    conn: Connection,
}

impl Subsurface {
    /// What wgpu needs to make a surface of it.
    pub fn target(&self) -> wgpu::SurfaceTargetUnsafe {
        let ptr =
            NonNull::new(self.surface.id().as_ptr().cast::<c_void>()).expect("a live wl_surface");
        wgpu::SurfaceTargetUnsafe::RawHandle {
            // The instance was made with winit's display.
            raw_display_handle: None,
            raw_window_handle: RawWindowHandle::Wayland(WaylandWindowHandle::new(ptr)),
        }
    }
}

impl Drop for Subsurface {
    fn drop(&mut self) {
        self.subsurface.destroy();
        self.surface.destroy();
        let _ = self.conn.flush();
    }
}
