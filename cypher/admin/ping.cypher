// name: ping
// purpose: the smallest statement; on the embedded engine, run through the write path, it
//   also creates the (empty) graph before its first read.
// params: none
// mode: write
// used_by: graphfraud.store (falkordb backend)
RETURN 0 AS ok
