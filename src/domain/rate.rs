//! Rate limits as people write them ("1/15s,30/h": one in 15 seconds and
//! thirty in an hour) and the rule that enforces them. Each rule counts a
//! subject's actions in a window that opens with the first action and lasts
//! one period; when it closes, the next action opens a new one. So a check
//! costs one row (the window's end and its count) however many requests
//! came before, and a refusal can say exactly when to come back.

use std::fmt;

/// At most `count` in any `period_ms`, with bursts up to `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub period_ms: i64,
}

impl Rate {
    /// The rule's own name, part of its counters' keys ("15s", "1h").
    pub fn period_name(self) -> String {
        duration_name(self.period_ms)
    }
}

/// Every rule of one limit; empty when the limit is off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rates(Vec<Rate>);

impl Rates {
    pub fn off() -> Self {
        Self(Vec::new())
    }

    /// The rules, shortest period first: a request refused by a longer
    /// rule has then used only a short window's allowance, which costs a
    /// person nothing they would not wait for anyway.
    pub fn rules(&self) -> &[Rate] {
        &self.0
    }

    pub fn is_off(&self) -> bool {
        self.0.is_empty()
    }
}

const UNITS: [(&str, i64); 4] = [
    ("s", 1000),
    ("min", 60_000),
    ("h", 3_600_000),
    ("d", 86_400_000),
];

fn duration_name(ms: i64) -> String {
    for &(unit, size) in UNITS.iter().rev() {
        if ms % size == 0 {
            return match ms / size {
                1 => unit.to_owned(),
                n => format!("{n}{unit}"),
            };
        }
    }
    format!("{ms}ms")
}

impl std::str::FromStr for Rates {
    type Err = String;

    /// "off", or comma-separated rules "COUNT/PERIOD", where PERIOD is a
    /// number (default 1) and s, min, h or d: "1/15s,30/h".
    fn from_str(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.eq_ignore_ascii_case("off") || raw == "0" {
            return Ok(Self::off());
        }
        let mut rules = Vec::new();
        for rule in raw.split(',') {
            let rule = rule.trim();
            let (count, period) = rule
                .split_once('/')
                .ok_or_else(|| format!("{rule:?} is not COUNT/PERIOD, such as 30/h"))?;
            let count: u32 = count
                .trim()
                .parse()
                .ok()
                .filter(|&c| c > 0)
                .ok_or_else(|| format!("{count:?} is not a count of at least 1"))?;
            let period = period.trim();
            let split = period
                .find(|c: char| !c.is_ascii_digit())
                .ok_or_else(|| format!("{period:?} has no unit (s, min, h or d)"))?;
            let (amount, unit) = period.split_at(split);
            let amount: i64 = if amount.is_empty() {
                1
            } else {
                amount
                    .parse()
                    .ok()
                    .filter(|&a| (1..=1_000_000).contains(&a))
                    .ok_or_else(|| format!("{amount:?} is not a length of time"))?
            };
            let size = match unit {
                "s" | "sec" => 1000,
                "m" | "min" => 60_000,
                "h" | "hour" => 3_600_000,
                "d" | "day" => 86_400_000,
                _ => return Err(format!("{unit:?} is not a unit: use s, min, h or d")),
            };
            rules.push(Rate {
                count,
                period_ms: amount * size,
            });
        }
        rules.sort_by_key(|r| r.period_ms);
        rules.dedup_by_key(|r| r.period_ms);
        Ok(Self(rules))
    }
}

impl fmt::Display for Rates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("off");
        }
        let rules: Vec<String> = self
            .0
            .iter()
            .map(|r| format!("{}/{}", r.count, r.period_name()))
            .collect();
        f.write_str(&rules.join(","))
    }
}

/// A subject's window under one rule: when it closes and how many actions
/// it has counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub resets_at: i64,
    pub used: u32,
}

/// The decision for one action under `rate`, given the subject's window
/// (`None` when it has none): the window counting it, or how long (ms) to
/// wait. The store makes the same decision in one atomic statement.
pub fn decide(rate: Rate, window: Option<Window>, now: i64) -> Result<Window, i64> {
    match window {
        Some(w) if w.resets_at > now && w.used >= rate.count => Err(w.resets_at - now),
        Some(w) if w.resets_at > now => Ok(Window {
            used: w.used + 1,
            ..w
        }),
        _ => Ok(Window {
            resets_at: now + rate.period_ms,
            used: 1,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rates(raw: &str) -> Rates {
        raw.parse().expect("parses")
    }

    #[test]
    fn rules_parse_in_the_forms_people_write() {
        assert_eq!(rates("1/15s,30/h").to_string(), "1/15s,30/h");
        assert_eq!(rates(" 30/h , 1/15s ").to_string(), "1/15s,30/h", "sorted");
        assert_eq!(rates("120/min").rules()[0].period_ms, 60_000);
        assert_eq!(rates("5/hour").rules()[0].period_ms, 3_600_000);
        assert!(rates("off").is_off());
        for bad in [
            "",
            "30",
            "0/h",
            "x/h",
            "30/",
            "30/15",
            "30/week",
            "30/-1h",
            "1/99999999h",
        ] {
            assert!(bad.parse::<Rates>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn one_in_fifteen_seconds() {
        let rate = rates("1/15s").rules()[0];
        let first = decide(rate, None, 1_000).expect("allowed");
        assert_eq!(
            decide(rate, Some(first), 11_000),
            Err(5_000),
            "5 s more to wait"
        );
        assert!(decide(rate, Some(first), 16_000).is_ok());
    }

    #[test]
    fn thirty_in_an_hour_from_the_first() {
        let rate = rates("30/h").rules()[0];
        let mut window = None;
        for minute in 0..30 {
            window = Some(decide(rate, window, minute * 60_000).expect("within the hour's 30"));
        }
        let wait = decide(rate, window, 45 * 60_000).expect_err("the 31st waits");
        assert_eq!(wait, 15 * 60_000, "until an hour after the first");
        let next = decide(rate, window, 60 * 60_000).expect("a new hour");
        assert_eq!(next.used, 1);
    }
}
