//! The built app loads from the real server and becomes interactive.

use storyreel_e2e::Harness;

#[tokio::test]
async fn app_loads_and_is_interactive() {
    let h = Harness::start().await;
    h.open_editor().await;
    assert_eq!(h.client.title().await.unwrap(), "Storyreel");
    let shots = h.find_all(".shot-card").await;
    assert_eq!(shots.len(), 1, "a new board has one shot");
    h.screenshot("smoke").await;
    h.close().await;
}
