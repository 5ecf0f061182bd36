//! The built app loads from the real server and becomes interactive.

use storyreel_e2e::Harness;

#[tokio::test]
async fn app_loads_and_is_interactive() {
    let h = Harness::start().await;
    h.open_editor().await;
    assert_eq!(h.client.title().await.unwrap(), "Storyreel");
    let shots = h.find_all(".shot-card").await;
    assert_eq!(shots.len(), 1, "a new board has one shot");
    // The tab's icon, and `/favicon.ico`, which browsers ask for anyway.
    let icon = h
        .eval(
            "const l = document.querySelector('link[rel=icon]');
             const x = new XMLHttpRequest();
             x.open('GET', '/favicon.ico', false);
             x.send();
             return [l ? l.getAttribute('href') : null, x.status, x.getResponseHeader('content-type')];",
            vec![],
        )
        .await;
    assert!(
        icon[0].as_str().is_some_and(|h| h.ends_with(".svg")),
        "the page names its icon: {icon}"
    );
    assert_eq!(icon[1], 200, "/favicon.ico: {icon}");
    assert!(
        icon[2].as_str().is_some_and(|t| t.starts_with("image/")),
        "/favicon.ico is an image: {icon}"
    );
    h.screenshot("smoke").await;
    h.close().await;
}
