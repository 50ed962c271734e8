# guests/sp1/guest/src/main.rs → the std guest: this line goes, nothing else
# changes. SP1 programs are std programs by default and keep #![no_main] and
# sp1_zkvm::entrypoint! (SP1's templates: the entry point is sp1-zkvm's, not
# std's lang_start); std supplies the panic handler.
/^#!\[no_std\]$/d
