using System.Collections.Immutable;

namespace GoHeapDump.Runtime;

/// <summary>Constants of the Go runtime that the model and the dump algorithm depend on (the same in every release modelled, but the wait-reason tables).</summary>
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

    /// <summary>
    /// The wait-reason strings of <paramref name="release"/>, indexed by waitReason. Go: runtime/runtime2.go
    /// waitReasonStrings, read in 1.19, 1.21, 1.22, 1.23, 1.24, 1.26 and 1.27. Releases before 1.19 and 1.20 get 1.19's
    /// table and 1.25 gets 1.24's (their sources were not read: the strings they write are a guess there).
    /// </summary>
    public static ImmutableArray<GoString> WaitReasonStrings(GoRelease release) =>
        release.IsAtLeast(1, 26) ? WaitReasonStrings126
        : release.IsAtLeast(1, 24) ? WaitReasonStrings124
        : release.IsAtLeast(1, 23) ? WaitReasonStrings123
        : release.IsAtLeast(1, 22) ? WaitReasonStrings122
        : release.IsAtLeast(1, 21) ? WaitReasonStrings121
        : WaitReasonStrings119;

    // 1.21: "timer goroutine (idle)" gone; sync.Mutex.Lock and the RWMutex parks split from "semacquire"; GC worker
    // (active), GC mark termination, stopping the world.
    private static readonly ImmutableArray<GoString> WaitReasonStrings121 =
    [
        "", "GC assist marking", "IO wait", "chan receive (nil chan)", "chan send (nil chan)", "dumping heap",
        "garbage collection", "garbage collection scan", "panicwait", "select", "select (no cases)",
        "GC assist wait", "GC sweep wait", "GC scavenge wait", "chan receive", "chan send", "finalizer wait",
        "force gc (idle)", "semacquire", "sleep", "sync.Cond.Wait", "sync.Mutex.Lock", "sync.RWMutex.RLock",
        "sync.RWMutex.Lock", "trace reader (blocked)", "wait for GC cycle", "GC worker (idle)", "GC worker (active)",
        "preempted", "debug call", "GC mark termination", "stopping the world",
    ];

    private static readonly ImmutableArray<GoString> WaitReasonStrings122 =
        [.. WaitReasonStrings121, "flushing proc caches", "trace goroutine status", "trace proc status", "page trace flush", "coroutine"];

    private static readonly ImmutableArray<GoString> WaitReasonStrings123 = [.. WaitReasonStrings122, "GC weak to strong wait"];

    // 1.24: sync.WaitGroup.Wait split from "semacquire" (inserted after sync.RWMutex.Lock); the synctest reasons.
    private static readonly ImmutableArray<GoString> WaitReasonStrings124 =
    [
        .. WaitReasonStrings123.Take(24), "sync.WaitGroup.Wait", .. WaitReasonStrings123.Skip(24),
        "synctest.Run", "synctest.Wait", "chan receive (synctest)", "chan send (synctest)", "select (synctest)",
    ];

    // 1.26: GOMAXPROCS updater (idle) after force gc (idle); "(synctest)" became "(durable)"; two more at the end.
    private static readonly ImmutableArray<GoString> WaitReasonStrings126 =
    [
        .. WaitReasonStrings124.Take(18), "GOMAXPROCS updater (idle)", .. WaitReasonStrings124.Skip(18).Take(23),
        "chan receive (durable)", "chan send (durable)", "select (durable)", "sync.WaitGroup.Wait (durable)", "cleanup wait",
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

    /// <summary>Go 1.26+: _Gdeadextra, a dead goroutine attached to an extra M. Skipped from Go 1.26 on; before, the status did not exist (the dump throws on it).</summary>
    public const uint DeadExtra = 11;

    /// <summary>Go: _Gscan, a bit or-ed into another status while the GC scans the stack.</summary>
    public const uint ScanBit = 0x1000;
}
