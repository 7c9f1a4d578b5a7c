// The module exits its process while it is imported: each claim is an error, and after two the pool stops loading it.
process.exit(4)
