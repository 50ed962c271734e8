"""EZKL (halo2) as a zkml-bench prover: the host protocol of guests/PROTOCOL.md over an ONNX graph of the exported model."""
