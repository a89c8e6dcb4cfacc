//! Time as the site shows it. Stored times are Unix milliseconds in UTC.

use super::ValidationError;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

const DISPLAY: &[BorrowedFormatItem<'static>] =
    format_description!("[day padding:none] [month repr:long] [year], [hour]:[minute] UTC");
const MACHINE: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
const INPUT: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]");
const DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");
const HTTP_DATE: &[BorrowedFormatItem<'static>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);
const INPUT_SECONDS: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");

fn to_datetime(millis: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// "25 November 2026, 15:04 UTC"
pub fn display(millis: i64) -> String {
    to_datetime(millis).format(DISPLAY).unwrap_or_default()
}

/// "2026-11-25T15:04:00Z", for `<time datetime>`.
pub fn machine(millis: i64) -> String {
    to_datetime(millis).format(MACHINE).unwrap_or_default()
}

/// RFC 3339 with milliseconds, as the JSON API writes times:
/// "2026-11-25T15:04:05.123Z".
pub fn rfc3339_millis(millis: i64) -> String {
    const FORMAT: &[BorrowedFormatItem<'static>] =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    to_datetime(millis).format(FORMAT).unwrap_or_default()
}

/// "Wed, 25 Nov 2026 15:04:05 GMT": the date of HTTP headers, which RSS
/// accepts too (RFC 822 with a four-digit year).
pub fn http_date(millis: i64) -> String {
    to_datetime(millis).format(HTTP_DATE).unwrap_or_default()
}

/// Reads an HTTP date (the IMF-fixdate form every client sends).
pub fn parse_http_date(raw: &str) -> Option<i64> {
    let parsed = PrimitiveDateTime::parse(raw.trim(), HTTP_DATE).ok()?;
    i64::try_from(parsed.assume_utc().unix_timestamp_nanos() / 1_000_000).ok()
}

/// Parses an RFC 3339 time with any offset ("2026-11-25T15:04:05.123Z",
/// "2026-11-25T16:04:05+01:00"), as API clients send it.
pub fn parse_rfc3339(raw: &str) -> Result<i64, ValidationError> {
    use time::format_description::well_known::Rfc3339;
    let parsed = OffsetDateTime::parse(raw.trim(), &Rfc3339).map_err(|_| {
        ValidationError::new("Give the time in RFC 3339 form, like 2026-11-25T15:04:05.000Z.")
    })?;
    i64::try_from(parsed.unix_timestamp_nanos() / 1_000_000)
        .map_err(|_| ValidationError::new("That time is out of range."))
}

/// Parses an `<input type="date">` value: the start of that day, UTC.
pub fn parse_date(raw: &str) -> Result<i64, ValidationError> {
    let date = time::Date::parse(raw.trim(), DATE)
        .map_err(|_| ValidationError::new("Give the date as YYYY-MM-DD."))?;
    let millis = date.midnight().assume_utc().unix_timestamp_nanos() / 1_000_000;
    i64::try_from(millis).map_err(|_| ValidationError::new("That date is out of range."))
}

/// The `<input type="date">` value of the day `millis` falls on (UTC).
pub fn date_value(millis: i64) -> String {
    to_datetime(millis).date().format(DATE).unwrap_or_default()
}

/// The value of an `<input type="datetime-local">` (UTC).
pub fn input_value(millis: i64) -> String {
    to_datetime(millis).format(INPUT).unwrap_or_default()
}

/// Parses an `<input type="datetime-local">` value, read as UTC.
pub fn parse_input(raw: &str) -> Result<i64, ValidationError> {
    let raw = raw.trim();
    let parsed = PrimitiveDateTime::parse(raw, INPUT)
        .or_else(|_| PrimitiveDateTime::parse(raw, INPUT_SECONDS))
        .map_err(|_| ValidationError::new("Give the time as YYYY-MM-DDTHH:MM (UTC)."))?;
    let millis = parsed.assume_utc().unix_timestamp_nanos() / 1_000_000;
    i64::try_from(millis).map_err(|_| ValidationError::new("That time is out of range."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_through_the_form_input() {
        let millis = parse_input("2026-11-25T15:04").expect("valid");
        assert_eq!(input_value(millis), "2026-11-25T15:04");
        assert_eq!(display(millis), "25 November 2026, 15:04 UTC");
        assert_eq!(machine(millis), "2026-11-25T15:04:00Z");
        assert_eq!(rfc3339_millis(millis + 7), "2026-11-25T15:04:00.007Z");
        assert!(parse_input("tomorrow").is_err());
        assert!(parse_input("2026-13-01T00:00").is_err());
    }

    #[test]
    fn http_dates_round_trip_to_the_second() {
        let millis = parse_rfc3339("2026-11-25T15:04:05.678Z").expect("valid");
        assert_eq!(http_date(millis), "Wed, 25 Nov 2026 15:04:05 GMT");
        assert_eq!(
            parse_http_date("Wed, 25 Nov 2026 15:04:05 GMT"),
            Some(millis - 678)
        );
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn dates_are_days_in_utc() {
        let day = parse_date("2026-11-25").expect("valid");
        assert_eq!(machine(day), "2026-11-25T00:00:00Z");
        assert_eq!(date_value(day + 3_600_000), "2026-11-25");
        for bad in ["", "25.11.2026", "2026-02-30", "tomorrow"] {
            assert!(parse_date(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn api_times_are_rfc3339_with_any_offset() {
        let utc = parse_rfc3339("2026-11-25T15:04:05.123Z").expect("valid");
        assert_eq!(rfc3339_millis(utc), "2026-11-25T15:04:05.123Z");
        assert_eq!(parse_rfc3339("2026-11-25T16:04:05.123+01:00"), Ok(utc));
        for bad in ["", "2026-11-25", "2026-11-25T15:04", "yesterday"] {
            assert!(parse_rfc3339(bad).is_err(), "{bad:?}");
        }
    }
}
