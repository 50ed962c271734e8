# guests/openvm/guest/src/main.rs → the std guest: these lines go, nothing else
# changes. With openvm's `std` feature the guest is an ordinary std program:
# openvm's entry! does nothing under std and Rust's std main (lang_start) runs
# it; std supplies the panic handler.
/^#!\[no_std\]$/d
/^#!\[no_main\]$/d
/^openvm::entry!(main);$/d
