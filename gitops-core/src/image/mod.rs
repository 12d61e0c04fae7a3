//! Flux image automation, the pure parts: ImagePolicy tag selection and the setters
//! that write the chosen images back into YAML files.
//!
//! | module | what |
//! |---|---|
//! | [`automation`] | every ImagePolicy's latest tag from its ImageRepository's tags |
//! | [`policy`] | ImagePolicy: semver / alphabetical / numerical, `filterTags`, `exclusionList` |
//! | [`semver`] | Masterminds/semver v3.5.0 versions and ranges, Flux's tag parsing |
//! | [`setters`] | `# {"$imagepolicy": …}` markers: byte-preserving rewrite, atomic writes |
//!
//! ```
//! use gitops_core::image::policy::{Policer, Order};
//! let p = Policer::Alphabetical(Order::Asc);
//! assert_eq!(p.latest(&["2024-01-02", "2024-12-01", "2024-03-04"]).unwrap(), "2024-12-01");
//! ```

/// Go RE2 patterns now live at the crate root ([`crate::goregex`]); kept here for old paths.
#[doc(no_inline)]
pub use crate::goregex;
pub mod automation;
pub mod policy;
pub mod semver;
pub mod setters;
