package io.pagevfs.core;

/** One entry of a directory listing, as getdents(2) returns it. */
public record DirEntry(String name, long ino, FileType type) {}
