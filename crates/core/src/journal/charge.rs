//! What a job cost, in a few words.

use crate::response::{Cash, Charge};

/// The units and cash of a charge put together, or `None` when neither is
/// known.
pub(super) fn charge_of(units: Option<f64>, cash: Option<Cash>) -> Option<Charge> {
    match (units, cash) {
        (None, None) => None,
        (units, cash) => Some(Charge {
            units: units.unwrap_or(0.0),
            cash,
        }),
    }
}

/// A charge in a few words: `15 units`, `1.20 USD`, `15 units and 1.20
/// USD`.
pub fn charge_short(charge: &Charge) -> String {
    let units = format!("{} units", units_text(charge.units));
    match charge.cash {
        None => units,
        Some(cash) if charge.units == 0.0 => cash_text(cash),
        Some(cash) => format!("{units} and {}", cash_text(cash)),
    }
}

/// What a finished job cost, beside the estimate shown before it was sent:
/// `The provider charged 15 units. Estimated $2.10 · 15 units.`
pub fn charge_text(charge: Option<&Charge>, estimate: Option<&str>) -> String {
    let charged = match charge {
        Some(c) if c.cash.is_none() && c.units == 0.0 => "Nothing was charged (0 units).".into(),
        Some(c) => format!("The provider charged {}.", charge_short(c)),
        None => "The provider did not report a charge.".to_string(),
    };
    match estimate.map(str::trim).filter(|e| !e.is_empty()) {
        Some(est) => format!("{charged} Estimated {}.", est.trim_end_matches('.')),
        None => charged,
    }
}

/// An amount of money: `1.20 USD`, `0.084 CNY` (two decimals, more only
/// where the amount has them, at most four).
pub fn cash_text(cash: Cash) -> String {
    let mut amount = format!("{:.4}", cash.amount);
    while amount.ends_with('0') && amount.len() - amount.find('.').unwrap_or(0) > 3 {
        amount.pop();
    }
    match cash.currency {
        Some(c) => format!("{amount} {c}"),
        None => format!("{amount} (currency not stated)"),
    }
}

/// `8`, `8.4`.
pub fn units_text(units: f64) -> String {
    let rounded = (units * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}
