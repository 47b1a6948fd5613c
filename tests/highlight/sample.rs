//! The steps module.
use std::collections::{HashMap, self};
use crate::steps::Item;

/// One step of the guide.
#[derive(Debug, Clone)]
pub struct Step<'a> {
    name: &'a str,
    size: usize,
    done: bool,
}

const MAX_STEPS: u32 = 16;

pub enum Mood { Calm, Busy(u8) }

impl<'a> Step<'a> {
    pub fn new(name: &'a str) -> Self {
        Step { name, size: 0, done: false }
    }

    fn keep(items: &[Step<'a>], limit: usize) -> Vec<&Step<'a>> {
        let mut kept: Vec<&Step> = Vec::new();
        for item in items.iter().filter(|i| i.size < limit && !i.done) {
            kept.push(item);
        }
        let map = HashMap::<String, i32>::new();
        let _ = std::mem::size_of::<u64>();
        println!("{} {}", kept.len(), map.len());
        match Mood::Busy(3) {
            Mood::Calm => {}
            Mood::Busy(n) if n > 2 => { let _c = 'x'; }
            Mood::Busy { .. } => unreachable!(),
        }
        let v = 1.5f64 + 2.0;
        let s = r"raw\n"; let e = "esc\t";
        kept
    }
}

trait Doer { fn go(&mut self) -> Result<(), String>; }

async fn later(x: Option<i32>) -> i32 {
    x.unwrap_or(0) as i32 /* block */
}
