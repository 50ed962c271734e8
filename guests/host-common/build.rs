// The compiler flags of this build, for the host's `info`: proofs from hosts
// built for different CPUs (`-C target-cpu`) are not comparable, so every
// result row records them.
fn main() {
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default().replace('\x1f', " ");
    println!("cargo:rustc-env=ZKML_HOST_RUSTFLAGS={flags}");
    println!("cargo:rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
}
