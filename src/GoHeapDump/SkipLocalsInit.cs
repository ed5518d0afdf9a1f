// Compiled into the reading assemblies (GoHeapDump.Core, .Validation, .Kaitai; each sets AllowUnsafeBlocks for it): the
// JIT and ILC then skip zeroing a method's locals on entry. HeapDumpReader.TryParseRecord zeroed about 100 bytes of them
// per record: a structure-only pass over 20M records took 340 ms instead of 375. Safe code never reads a local before
// writing it; these assemblies have no stackalloc, whose memory would now start with whatever the stack held.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
