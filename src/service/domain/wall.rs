//! The console's wall (the dashboard's pictures of what each group's screens show now, and the
//! group page's preview): its cache of frames, and the off-hours. While a group's screens are
//! off (its playlist's `[hours]`), they show black; a black picture on the wall says nothing of
//! why. The wall shows instead the last page the screens showed before they went off, dimmed,
//! under the words 关屏时段，06:30 开屏.
//!
//! Whether the screens are off is the player's own schedule (`schedule::at`), asked as it is:
//! an emergency that plays through the night is no off-hours. The picture is the renderer's
//! frame of that earlier instant, dimmed afterwards (`dim`); the words are the console page's,
//! over the picture. So nothing the player runs changes: drawing the words into the PNG would
//! take a new scene in the layout code that the screens share.

use std::sync::Mutex;

use crate::model::{Notice, Playlist, Timestamp, beijing};
use crate::render::Pixels;
use crate::schedule::{Entry, PageInfo, Showing};

/// The screens' off-hours gap around an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffHours {
    /// When the screens went off.
    pub since: Timestamp,
    /// When they come on again (an emergency that starts earlier brings them on then).
    pub until: Timestamp,
}

/// The off-hours gap `t` falls in on the screens of `playlist` with `notices` in their feed,
/// or `None` while they are on.
pub fn off_hours(playlist: &Playlist, notices: &[Notice], t: Timestamp) -> Option<OffHours> {
    // The schedule needs each notice's pages only to know it has some; any laid-out notice has
    // at least one, and the off-hours depend on nothing else of them.
    let page = PageInfo {
        chars: 0,
        motion_s: None,
    };
    let entries: Vec<Entry> = notices
        .iter()
        .map(|notice| Entry {
            notice,
            pages: vec![page],
        })
        .collect();
    let slot = crate::schedule::at(playlist, &entries, t);
    (slot.showing == Showing::Standby).then_some(OffHours {
        since: slot.start,
        until: slot.until,
    })
}

impl OffHours {
    /// The instant whose frame stands for the off-hours: the last before the screens went off.
    pub fn last_on(&self) -> Timestamp {
        self.since - chrono::TimeDelta::milliseconds(1)
    }

    /// What the console writes over the picture at `now`: 关屏时段，06:30 开屏, with 明天
    /// when the screens come on tomorrow (daily hours bring them on within a day).
    pub fn label(&self, now: Timestamp) -> String {
        let (now, on) = (beijing(now), beijing(self.until));
        let day = match (on.date_naive() - now.date_naive()).num_days() {
            0 => String::new(),
            1 => "明天 ".to_string(),
            _ => on.format("%-m月%-d日 ").to_string(),
        };
        format!("关屏时段，{day}{} 开屏", on.format("%H:%M"))
    }
}

/// The share of its brightness a dimmed picture keeps, in fifths: 40%.
const KEPT_FIFTHS: u16 = 2;

/// Dims `pixels` to 40% of their brightness (alpha kept): a picture of what the screens
/// showed, not of what they show.
pub fn dim(pixels: &mut Pixels) {
    for px in pixels.rgba.chunks_exact_mut(4) {
        for c in &mut px[..3] {
            *c = (u16::from(*c) * KEPT_FIFTHS / 5) as u8;
        }
    }
}

/// The dashboard's wall: each group's latest current frame, kept while the group's feed
/// sequence and the minute stay the same (a wall of many groups, reloaded by several staff,
/// draws each frame once).
#[derive(Default)]
pub struct Wall(Mutex<std::collections::HashMap<String, (WallKey, Vec<u8>)>>);

/// Group, feed sequence, minute.
pub type WallKey = (String, u64, i64);

impl Wall {
    pub fn get(&self, key: &WallKey) -> Option<Vec<u8>> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&key.0)
            .filter(|(k, _)| k == key)
            .map(|(_, png)| png.clone())
    }

    pub fn put(&self, key: WallKey, png: Vec<u8>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(key.0.clone(), (key, png));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClockTime, Hours};

    fn plaza() -> Playlist {
        let mut p = Playlist::from_toml(
            include_str!("../../../playlists/plaza-tv.toml"),
            "plaza-tv.toml",
        )
        .unwrap();
        p.hours = Some(Hours {
            on: ClockTime(6 * 60 + 30),
            off: ClockTime(22 * 60 + 30),
        });
        p
    }

    fn t(s: &str) -> Timestamp {
        Timestamp::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn the_label_names_the_next_on_time_and_tomorrow() {
        let p = plaza();
        assert_eq!(off_hours(&p, &[], t("2026-11-27T09:00:00+08:00")), None);
        let night = t("2026-11-27T23:10:00+08:00");
        let off = off_hours(&p, &[], night).unwrap();
        assert_eq!(off.since, t("2026-11-27T22:30:00+08:00"));
        assert_eq!(off.last_on(), t("2026-11-27T22:29:59.999+08:00"));
        assert_eq!(off.label(night), "关屏时段，明天 06:30 开屏");
        // After midnight (in Beijing, whatever offset the instant is written in): today.
        let dawn = t("2026-11-27T21:50:00Z");
        assert_eq!(
            off_hours(&p, &[], dawn).unwrap().label(dawn),
            "关屏时段，06:30 开屏"
        );
    }

    #[test]
    fn dimming_keeps_two_fifths_and_the_alpha() {
        let mut px = Pixels {
            width: 1,
            height: 1,
            rgba: vec![255, 100, 0, 255],
        };
        dim(&mut px);
        assert_eq!(px.rgba, vec![102, 40, 0, 255]);
    }
}
