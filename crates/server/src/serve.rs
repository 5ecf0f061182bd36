//! `storyreel-server serve`: the API (relays, simulator) and the static
//! app on one listener, stopped gracefully by SIGINT or SIGTERM.

use std::io::Write;
use std::process::ExitCode;

use crate::api::Api;
use crate::app;
use crate::cli::ServeArgs;
use crate::config::Keys;
use crate::uploads::Uploads;

pub fn run(args: ServeArgs) -> ExitCode {
    crate::logging::init(args.log_format);
    if !args.dist.join("index.html").is_file() {
        eprintln!(
            "error: no built app at {} (index.html missing); run `cargo xtask serve`, or `trunk build --release` first",
            args.dist.display()
        );
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let keys = match Keys::load_with(
            args.config.as_deref(),
            |name| std::env::var(name).ok(),
            args.kling_api,
        ) {
            Ok(k) => k,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let relays = match args.relay_config(|name| std::env::var(name).ok()) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let guard = match args.guard_config(|name| std::env::var(name).ok()) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let uploads = match args
            .upload_config(|name| std::env::var(name).ok())
            .and_then(|c| Uploads::open(&c))
        {
            Ok(u) => u,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let api = match Api::with_relays(keys, args.sim_config(), relays) {
            Ok(api) => {
                let mut api = api.with_uploads(uploads);
                api.inline_uploads_as_data_uri = args.inline_uploads_as_data_uri;
                api
            }
            Err(e) => {
                eprintln!("error: cannot start the simulator: {e}");
                return ExitCode::FAILURE;
            }
        };
        let listener = match tokio::net::TcpListener::bind((args.addr, args.port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: cannot listen on {}:{}: {e}", args.addr, args.port);
                return ExitCode::FAILURE;
            }
        };
        let bound = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        // Listen for signals before saying we are up, so a stop sent right
        // after the announcement is a graceful one.
        let shutdown = shutdown_signal();
        let mut out = std::io::stdout();
        let _ = writeln!(out, "storyreel-server listening on http://{bound}");
        if api.simulator.is_some() {
            let _ = writeln!(
                out,
                "no provider keys set: Kling calls go to the built-in simulator"
            );
        }
        // Which credential and design, never the key.
        let _ = writeln!(
            out,
            "Kling: {}, on {} ({})",
            api.kling_setup.credential.label(),
            api.kling_setup.api.label(),
            api.kling_setup.reason
        );
        let _ = out.flush();
        let app = app::router_with(api, &args.dist, &guard);
        match axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: server stopped: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is
/// called (inside the runtime), not when the future is first polled; on
/// Unix that holds for Ctrl-C too only through `signal` (`ctrl_c()` is lazy).
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let interrupt = signal(SignalKind::interrupt()).ok();
        let terminate = signal(SignalKind::terminate()).ok();
        async move {
            tokio::select! {
                _ = next_signal(interrupt) => {},
                _ = next_signal(terminate) => {},
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// The next delivery of `signal`; never, if its handler could not be set.
#[cfg(unix)]
async fn next_signal(signal: Option<tokio::signal::unix::Signal>) {
    match signal {
        Some(mut s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}
