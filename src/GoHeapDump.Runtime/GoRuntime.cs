using System.Collections.Immutable;

namespace GoHeapDump.Runtime;

/// <summary>Constants of the Go 1.19 runtime that the model and the dump algorithm depend on.</summary>
public static class GoRuntime
{
    /// <summary>Runtime page size on every platform. Go: runtime/sizeclasses.go _PageShift = 13.</summary>
    public const int PageSize = 8192;

    /// <summary>Entries in the dump's free-mark array: the most slots a span may have. Go: heapdump.go freemark [_PageSize / 8]bool.</summary>
    public const int FreeMarkEntries = PageSize / 8;

    /// <summary>The wait-reason strings of Go 1.19, indexed by waitReason. Go: runtime/runtime2.go waitReasonStrings.</summary>
    public static ImmutableArray<GoString> WaitReasonStrings119 { get; } =
    [
        "", "GC assist marking", "IO wait", "chan receive (nil chan)", "chan send (nil chan)", "dumping heap",
        "garbage collection", "garbage collection scan", "panicwait", "select", "select (no cases)",
        "GC assist wait", "GC sweep wait", "GC scavenge wait", "chan receive", "chan send", "finalizer wait",
        "force gc (idle)", "semacquire", "sleep", "sync.Cond.Wait", "timer goroutine (idle)",
        "trace reader (blocked)", "wait for GC cycle", "GC worker (idle)", "preempted", "debug call",
    ];

    /// <summary>What waitReason.String returns for an index past the table. Go: runtime2.go.</summary>
    public static GoString UnknownWaitReason { get; } = "unknown wait reason";
}

/// <summary>Goroutine status values (readgstatus). Go: runtime/runtime2.go _G* constants.</summary>
public static class GoroutineStatus
{
    /// <summary>Go: _Gidle. Not dumpable: the dump throws.</summary>
    public const uint Idle = 0;

    /// <summary>Go: _Grunnable. Dumped.</summary>
    public const uint Runnable = 1;

    /// <summary>Go: _Grunning. Not dumpable (the world is stopped): the dump throws.</summary>
    public const uint Running = 2;

    /// <summary>Go: _Gsyscall. Dumped.</summary>
    public const uint Syscall = 3;

    /// <summary>Go: _Gwaiting. Dumped.</summary>
    public const uint Waiting = 4;

    /// <summary>Go: _Gdead. Skipped.</summary>
    public const uint Dead = 6;

    /// <summary>Go: _Gcopystack. Not dumpable: the dump throws.</summary>
    public const uint CopyStack = 8;

    /// <summary>Go: _Gpreempted. Not dumpable: the dump throws.</summary>
    public const uint Preempted = 9;

    /// <summary>Go: _Gscan, a bit or-ed into another status while the GC scans the stack.</summary>
    public const uint ScanBit = 0x1000;
}
