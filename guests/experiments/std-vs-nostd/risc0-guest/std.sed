# guests/risc0/guest/src/main.rs → the std guest: these lines go, nothing else
# changes. With risc0-zkvm's `std` feature the guest is an ordinary std
# program: Rust's std main (lang_start) runs it, so no #![no_main] and no
# entry! macro; std supplies the panic handler.
/^#!\[no_std\]$/d
/^#!\[no_main\]$/d
/^risc0_zkvm::guest::entry!(main);$/d
