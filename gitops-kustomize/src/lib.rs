//! kustomize build as a library.
#![deny(missing_docs, unsafe_code)]
