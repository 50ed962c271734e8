/// The std-style input: std::io::stdin().read_to_end into a Vec<u8>. Rust's
/// zkvm std implements stdin with sys_read, which sp1-zkvm 6.10.0 does not
/// define: this guest does not link.
fn main() {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).expect("reading the input");
    assert!(bytes.len() % 4 == 0, "Truncated: input is not whole words");
    let words: Vec<u32> = bytes.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
    let (mode, input) = words.split_first().expect("no SHA mode word");
    let output = match mode {
        0 => evaluate::<Sp1Sha256>(input),
        1 => evaluate::<SoftwareSha256>(input),
        other => panic!("unknown SHA mode {other}"),
    };
    sp1_zkvm::io::commit_slice(&output.unwrap_or_else(|e| panic!("{e}")).to_bytes());
}
