//! The turn between the page (as residents read it) and the output (what the display is sent):
//! a portrait panel mounted on its side is driven as a landscape output, and the picture is
//! turned inside the player. Touches arrive in output pixels and go back through the same turn.
//! The compositing shader (`render/shapes.wgsl`, `vs_main`) applies exactly `to_page`.

/// The output's size for a page of `page` size turned `rotation` degrees.
pub fn output_size(page: (u32, u32), rotation: u16) -> (u32, u32) {
    match rotation {
        90 | 270 => (page.1, page.0),
        _ => page,
    }
}

/// A point on the output (window pixels, the page stretched over the whole window) to the page.
pub fn to_page(p: (f32, f32), window: (u32, u32), page: (u32, u32), rotation: u16) -> (f32, f32) {
    let (x, y) = (p.0 / window.0.max(1) as f32, p.1 / window.1.max(1) as f32);
    let (u, v) = match rotation {
        90 => (y, 1.0 - x),
        180 => (1.0 - x, 1.0 - y),
        270 => (1.0 - y, x),
        _ => (x, y),
    };
    (u * page.0 as f32, v * page.1 as f32)
}

/// A point on the page to the output: the inverse of `to_page`.
pub fn to_window(p: (f32, f32), window: (u32, u32), page: (u32, u32), rotation: u16) -> (f32, f32) {
    let (u, v) = (p.0 / page.0.max(1) as f32, p.1 / page.1.max(1) as f32);
    let (x, y) = match rotation {
        90 => (1.0 - v, u),
        180 => (1.0 - u, 1.0 - v),
        270 => (v, 1.0 - u),
        _ => (u, v),
    };
    (x * window.0 as f32, y * window.1 as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quarter_turn_clockwise_puts_the_pages_top_left_at_the_outputs_top_right() {
        let page = (1080, 1920);
        let window = output_size(page, 90);
        assert_eq!(window, (1920, 1080));
        assert_eq!(to_window((0.0, 0.0), window, page, 90), (1920.0, 0.0));
        assert_eq!(to_window((1080.0, 0.0), window, page, 90), (1920.0, 1080.0));
        assert_eq!(to_page((1920.0, 0.0), window, page, 90), (0.0, 0.0));
        assert_eq!(to_page((0.0, 0.0), window, page, 270), (1080.0, 0.0));
    }

    #[test]
    fn to_page_undoes_to_window_for_every_turn() {
        let page = (1080, 1920);
        for rotation in [0, 90, 180, 270] {
            let window = output_size(page, rotation);
            for p in [(0.0, 0.0), (540.0, 960.0), (100.0, 1800.0), (1079.0, 3.0)] {
                let back = to_page(to_window(p, window, page, rotation), window, page, rotation);
                assert!(
                    (back.0 - p.0).abs() < 0.01 && (back.1 - p.1).abs() < 0.01,
                    "{rotation}: {p:?} → {back:?}"
                );
            }
        }
    }
}
