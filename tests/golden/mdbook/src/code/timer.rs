use std::{thread, time::Duration};

fn main() {
    // ANCHOR: loop
    for second in 1..=30 {
        println!("{second}");
        thread::sleep(Duration::from_secs(1));
    }
    // ANCHOR_END: loop
}
