/// The std-style input: std::io::stdin().read_to_end into a Vec<u8>. OpenVM
/// 2.0.2's std ABI (openvm's pal_abi.rs) answers sys_read with "sys_read is
/// todo" and ends the guest with exit code 2: this guest builds but cannot run.
fn main() {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).expect("reading the input");
    assert!(bytes.len() % 4 == 0, "Truncated: input is not whole words");
    let words: Vec<u32> = bytes.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
    let (mode, input) = words.split_first().expect("no SHA mode word");
    let output = match mode {
        0 => evaluate::<OpenVmSha256>(input),
        1 => evaluate::<SoftwareSha256>(input),
        other => panic!("unknown SHA mode {other}"),
    };
    let bytes: [u8; PUBLIC_OUTPUT_LEN] = output.unwrap_or_else(|e| panic!("{e}")).to_bytes();
    for (index, word) in bytes.chunks_exact(4).enumerate() {
        openvm::io::reveal_u32(u32::from_le_bytes([word[0], word[1], word[2], word[3]]), index);
    }
}
