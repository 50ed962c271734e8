/// The std-style input: everything the host wrote, read with
/// std::io::Read::read_to_end (risc0-zkvm's stdin reader implements it under
/// `std`) into a Vec<u8>, and the words collected from its bytes.
fn main() {
    use std::io::Read;
    let mut bytes = Vec::new();
    env::stdin().read_to_end(&mut bytes).expect("reading the input");
    assert!(bytes.len() % 4 == 0, "Truncated: input is not whole words");
    let words: Vec<u32> = bytes.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
    let (sha_mode, input) = words.split_first().expect("no SHA mode word");
    let output = match sha_mode {
        0 => evaluate::<Risc0Sha256>(input),
        1 => evaluate::<SoftwareSha256>(input),
        other => panic!("unknown SHA mode {other}"),
    };
    env::commit_slice(&output.unwrap_or_else(|e| panic!("{e}")).to_bytes());
}
