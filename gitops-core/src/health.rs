//! kstatus placeholder (filled below).
