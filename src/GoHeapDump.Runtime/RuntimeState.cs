using System.Collections.Immutable;

namespace GoHeapDump.Runtime;

/// <summary>
/// A Go runtime's state (of the release <see cref="Release"/>, 1.19 unless the platform says otherwise) at the moment of <c>runtime/debug.WriteHeapDump</c>: everything the dump reads,
/// nothing else. Immutable; the constructor checks every invariant (objects inside spans inside arenas,
/// bitmaps inside objects, consistent frames and stack maps…) and throws <see cref="ArgumentException"/>
/// naming the offending part, so that a bad model never becomes a bad dump.
/// </summary>
/// <remarks>
/// Lists are in the order the runtime iterates them: spans in mheap_.allspans order, itabs in itab-table
/// order, goroutines in allgs order, Ms in allm order, queued finalizers in iterate_finq order, memprof
/// buckets in iterate_memprof order. Use <see cref="With"/> to derive a changed state (validated again).
/// </remarks>
public sealed class RuntimeState
{
    /// <summary>Builds and validates a state. Omitted parts are empty (wait reasons default to Go 1.19's table).</summary>
    /// <param name="platform">Pointer size, byte order, GOARCH, version, ncpu, arena geometry.</param>
    /// <param name="arenas">Indices of the heap arenas in use (Go: non-nil mheap_.arenas entries), ascending.</param>
    /// <param name="spans">Spans in mheap_.allspans order.</param>
    /// <param name="types">The type descriptors itabs refer to (addresses unique).</param>
    /// <param name="itabs">Itabs in iteration order.</param>
    /// <param name="goroutines">Goroutines in allgs order.</param>
    /// <param name="waitReasonStrings">Go: waitReasonStrings; defaults to <see cref="GoRuntime.WaitReasonStrings119"/>.</param>
    /// <param name="threads">Ms in allm order.</param>
    /// <param name="data">The first module's data segment; empty by default.</param>
    /// <param name="bss">The first module's bss segment; empty by default.</param>
    /// <param name="finalizerQueue">Queued finalizers in iteration order.</param>
    /// <param name="memProfBuckets">Memory-profile buckets in iteration order.</param>
    /// <param name="functions">The symbol table findfunc searches (memprof frames): sorted, non-overlapping.</param>
    /// <param name="memStats">MemStats; zeros by default.</param>
    /// <exception cref="ArgumentException">An invariant does not hold; the message names the part and the rule.</exception>
    public RuntimeState(
        RuntimePlatform platform,
        IEnumerable<ulong>? arenas = null,
        IEnumerable<HeapSpan>? spans = null,
        IEnumerable<RuntimeType>? types = null,
        IEnumerable<Itab>? itabs = null,
        IEnumerable<Goroutine>? goroutines = null,
        IEnumerable<GoString>? waitReasonStrings = null,
        IEnumerable<OsThread>? threads = null,
        ModuleSegment? data = null,
        ModuleSegment? bss = null,
        IEnumerable<QueuedFinalizer>? finalizerQueue = null,
        IEnumerable<MemProfBucket>? memProfBuckets = null,
        IEnumerable<FuncInfo>? functions = null,
        MemStats? memStats = null)
    {
        Platform = platform ?? throw new ArgumentNullException(nameof(platform));
        Arenas = ToImmutable(arenas);
        Spans = ToImmutable(spans);
        Types = ToImmutable(types);
        Itabs = ToImmutable(itabs);
        Goroutines = ToImmutable(goroutines);
        WaitReasonStrings = waitReasonStrings is null ? GoRuntime.WaitReasonStrings119 : [.. waitReasonStrings];
        Threads = ToImmutable(threads);
        Data = data ?? ModuleSegment.Empty;
        Bss = bss ?? ModuleSegment.Empty;
        FinalizerQueue = ToImmutable(finalizerQueue);
        MemProfBuckets = ToImmutable(memProfBuckets);
        Functions = ToImmutable(functions);
        MemStats = memStats ?? new MemStats();
        RuntimeStateValidator.Validate(this);
    }

    /// <summary>The platform.</summary>
    public RuntimePlatform Platform { get; }

    /// <summary>The Go release whose dump algorithm applies (<see cref="RuntimePlatform.Release"/>).</summary>
    public GoRelease Release => Platform.Release;

    /// <summary>Arena indices in use, ascending. Go: the non-nil entries of mheap_.arenas[l1][l2], index = l1 &lt;&lt; L2Bits | l2.</summary>
    public ImmutableArray<ulong> Arenas { get; }

    /// <summary>Spans in mheap_.allspans order.</summary>
    public ImmutableArray<HeapSpan> Spans { get; }

    /// <summary>Type descriptors (the ones itabs name).</summary>
    public ImmutableArray<RuntimeType> Types { get; }

    /// <summary>Itabs in iterate_itabs order.</summary>
    public ImmutableArray<Itab> Itabs { get; }

    /// <summary>Goroutines in allgs order.</summary>
    public ImmutableArray<Goroutine> Goroutines { get; }

    /// <summary>The wait-reason string table (Go: waitReasonStrings); an index past it reads "unknown wait reason".</summary>
    public ImmutableArray<GoString> WaitReasonStrings { get; }

    /// <summary>Ms in allm order.</summary>
    public ImmutableArray<OsThread> Threads { get; }

    /// <summary>The first module's data segment.</summary>
    public ModuleSegment Data { get; }

    /// <summary>The first module's bss segment.</summary>
    public ModuleSegment Bss { get; }

    /// <summary>Queued finalizers in iterate_finq order.</summary>
    public ImmutableArray<QueuedFinalizer> FinalizerQueue { get; }

    /// <summary>Memory-profile buckets in iterate_memprof order.</summary>
    public ImmutableArray<MemProfBucket> MemProfBuckets { get; }

    /// <summary>The symbol table findfunc searches, sorted by entry, non-overlapping.</summary>
    public ImmutableArray<FuncInfo> Functions { get; }

    /// <summary>MemStats.</summary>
    public MemStats MemStats { get; }

    /// <summary>A copy with the given parts replaced (null keeps the current part), validated again.</summary>
    public RuntimeState With(
        RuntimePlatform? platform = null,
        IEnumerable<ulong>? arenas = null,
        IEnumerable<HeapSpan>? spans = null,
        IEnumerable<RuntimeType>? types = null,
        IEnumerable<Itab>? itabs = null,
        IEnumerable<Goroutine>? goroutines = null,
        IEnumerable<GoString>? waitReasonStrings = null,
        IEnumerable<OsThread>? threads = null,
        ModuleSegment? data = null,
        ModuleSegment? bss = null,
        IEnumerable<QueuedFinalizer>? finalizerQueue = null,
        IEnumerable<MemProfBucket>? memProfBuckets = null,
        IEnumerable<FuncInfo>? functions = null,
        MemStats? memStats = null) =>
        new(
            platform ?? Platform,
            arenas ?? Arenas,
            spans ?? Spans,
            types ?? Types,
            itabs ?? Itabs,
            goroutines ?? Goroutines,
            waitReasonStrings ?? WaitReasonStrings,
            threads ?? Threads,
            data ?? Data,
            bss ?? Bss,
            finalizerQueue ?? FinalizerQueue,
            memProfBuckets ?? MemProfBuckets,
            functions ?? Functions,
            memStats ?? MemStats);

    /// <summary>The function whose [Entry, End) holds <paramref name="pc"/>, or null. Go: findfunc.</summary>
    public FuncInfo? FindFunc(ulong pc)
    {
        // Binary search: the validator guarantees ascending, non-overlapping ranges.
        int lo = 0, hi = Functions.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var f = Functions[mid];
            if (pc < f.Entry)
            {
                hi = mid - 1;
            }
            else if (pc >= f.End)
            {
                lo = mid + 1;
            }
            else
            {
                return f;
            }
        }

        return null;
    }

    /// <summary>A readable multi-line description of the whole state (large memory abbreviated).</summary>
    public override string ToString() => RuntimeStateFormatter.Describe(this);

    private static ImmutableArray<T> ToImmutable<T>(IEnumerable<T>? items) => items is null ? [] : [.. items];
}
