using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

/// <summary>
/// Builds realistic Go runtime states from a seed, for <c>goheapdump generate</c> and benchmarks:
/// spans of several size classes (scan and noscan) with free slots, large objects, stack spans and a dead
/// span, pointers between objects, goroutines in every dumpable state (and dead ones) with frames over every
/// kind of stack map, defers (open-coded too) and nested panics, Ms, data and bss, registered and queued
/// finalizers, memprof buckets (with unresolvable PCs) and alloc samples, a type-cache bucket that
/// overflows, on any <see cref="GoArchitecture"/>. The same arguments always give the same state.
/// </summary>
public static partial class StateBuilder
{
    /// <summary>A state with about <paramref name="objects"/> live heap objects (object records) on <paramref name="goarch"/>.</summary>
    /// <exception cref="ArgumentException">Unknown GOARCH or a negative object count.</exception>
    /// <remarks>
    /// The Go 1.19 state of the corpus's seeded fixtures (<c>seed-N-arch</c>), kept byte for byte: besides what a real
    /// 1.19 process holds it has deliberate oddities that exercise readers (wait reasons past the table, panics on several
    /// goroutines, large pointer arrays whose bitmap runs through the page-rounded span). <see cref="Build(ulong, int, string, GoRelease)"/>
    /// builds what a process of a given release holds.
    /// </remarks>
    public static RuntimeState Build(ulong seed, int objects, string goarch = "amd64")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(objects);
        return new Generator(seed, objects, GoArchitecture.Get(goarch), new GoRelease(1, 19, 8), realistic: false).Build();
    }

    /// <summary>
    /// A state of a linux/<paramref name="goarch"/> process of <paramref name="release"/> with about
    /// <paramref name="objects"/> heap objects, as that release's runtime holds it: its params string and wait reasons, the
    /// runtime's own goroutines (the dumping one, forcegc, the sweeper, the scavenger, the finalizer goroutine, one GC worker
    /// per CPU), one panicking goroutine whose defer chain is what the release keeps, heap objects laid out as its allocator
    /// lays them out (from 1.22 malloc headers, large objects' types, the heap bits in small spans' tails; from 1.26 the
    /// inline mark bits), no generic types before 1.18, and the pointer types 1.5/1.6 itabs name.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown GOARCH, one the release did not have, or a negative object count.</exception>
    public static RuntimeState Build(ulong seed, int objects, string goarch, GoRelease release)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(objects);
        return new Generator(seed, objects, GoArchitecture.Get(goarch), release, realistic: true).Build();
    }

    /// <summary>
    /// The state <see cref="Build(ulong, int, string, GoRelease)"/> builds, in memory bounded independently of its size
    /// (<c>goheapdump generate</c>): the state without its spans, and the walk over them that the writer takes instead
    /// (<see cref="HeapDumpWriter.Write(RuntimeState, AllSpans, DumpSink)"/>), which fills each span as it reaches it. The
    /// dump is the same, byte for byte. The walk holds only the plan: about 80 bytes a span and a bit a slot.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown GOARCH, one the release did not have, or a negative object count.</exception>
    public static (RuntimeState State, AllSpans Spans) Stream(ulong seed, int objects, string goarch, GoRelease release)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(objects);
        return new Generator(seed, objects, GoArchitecture.Get(goarch), release, realistic: true).Stream(pointerLogBudget: null);
    }

    /// <summary>
    /// <see cref="Stream(ulong, int, string, GoRelease)"/> with <paramref name="pointerLogBudget"/> bytes of pointer log in
    /// place of its own budget (tests: a log that ends within the heap).
    /// </summary>
    internal static (RuntimeState State, AllSpans Spans) Stream(ulong seed, int objects, string goarch, GoRelease release, long pointerLogBudget) =>
        new Generator(seed, objects, GoArchitecture.Get(goarch), release, realistic: true).Stream(pointerLogBudget);

    /// <summary>
    /// The release <c>generate --go 1.N</c> builds for each minor release from 1.5: the last patch of each (the one Debian
    /// serves for 1.19, 1.21–1.24, 1.26, 1.27, whose real dumps are in fixtures/real), 1.25.0 for 1.25.
    /// </summary>
    public static IReadOnlyList<GoRelease> Releases { get; } =
    [
        new(1, 5, 4), new(1, 6, 4), new(1, 7, 6), new(1, 8, 7), new(1, 9, 7), new(1, 10, 8), new(1, 11, 13), new(1, 12, 17),
        new(1, 13, 15), new(1, 14, 15), new(1, 15, 15), new(1, 16, 15), new(1, 17, 13), new(1, 18, 10), new(1, 19, 8),
        new(1, 20, 14), new(1, 21, 13), new(1, 22, 12), new(1, 23, 5), new(1, 24, 4), new(1, 25, 0), new(1, 26, 10), new(1, 27, 3),
    ];

    /// <summary>The newest release modelled (<c>generate</c>'s default).</summary>
    public static GoRelease Newest => Releases[^1];

    /// <summary>The modelled release <c>1.N</c> or <c>1.N.P</c> names (<c>1.22</c> → 1.22.12), or null.</summary>
    public static GoRelease? FindRelease(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var version = GoVersion.Parse(text.StartsWith("go", StringComparison.Ordinal) ? text : "go" + text);
        if (version.Release is not { Prerelease: GoPrereleaseKind.None } r || version.Suffix is not null || version.Experiments.Length > 0)
        {
            return null;
        }

        var explicitPatch = text.Count(c => c == '.') >= 2;
        foreach (var known in Releases)
        {
            if (known.Major == r.Major && known.Minor == r.Minor)
            {
                return explicitPatch ? r : known;
            }
        }

        return null;
    }

    /// <summary>An object layout: one char per word: 'p' pointer, 's' scalar, '.' past the pointers; '*' repeats the pattern through the slot.</summary>
    private sealed record Shape(string Name, string Words, int Size, double Weight, bool Text = false)
    {
        /// <summary>No pointer word (computed once: it is asked for every span filled).</summary>
        public bool NoScan { get; } = !Words.Contains('p', StringComparison.Ordinal);
    }

    /// <summary>
    /// A span as planned, before its contents: what a walk needs to produce it again (one of about 1.2 million for a
    /// 10 GB dump, so its free bits live in the generator's <see cref="BitPool"/> and it has a specials list only when it
    /// has specials).
    /// </summary>
    private sealed class PlannedSpan
    {
        public required ulong Base;
        public required ulong Pages;
        public required SpanState State;
        public Shape? Shape;

        /// <summary>Bytes covered, as <see cref="HeapSpan.ByteCount"/>.</summary>
        public ulong ByteCount => Pages * GoRuntime.PageSize;
        public ulong ElemSize;
        public int Slots;

        /// <summary>Go: nelems, the slots the allocator uses (fewer than <see cref="Slots"/> when the span's tail holds heap or mark bits).</summary>
        public int ElemCount;

        /// <summary>Bytes the allocation asked for (realistic large objects: the bitmap stops there before Go 1.22).</summary>
        public ulong DataSize;

        /// <summary>Pool index of the first of the span's <see cref="ElemCount"/> free-slot bits, or <see cref="Generator.NoneFree"/>.</summary>
        public long FreeAt;
        public List<SpanSpecial>? Specials;
    }

    /// <summary>
    /// An object span as a pointer into it is made, 8 bytes in an array: its base (page-aligned) with its slot size in 8-byte
    /// units in the low 13 bits, 0 for a large object's span (one slot, at the base).
    /// </summary>
    private readonly record struct Target(ulong Placement)
    {
        private const ulong SizeMask = (GoRuntime.PageSize / 8) - 1;

        public ulong Base => Placement & ~SizeMask;

        /// <summary>The slot size, or 0 for a large object's span.</summary>
        public ulong ElemSize => (Placement & SizeMask) * 8;

        public static Target Of(ulong spanBase, ulong elemSize) =>
            new(spanBase | (elemSize % 8 == 0 && elemSize / 8 <= SizeMask ? elemSize / 8 : 0));
    }

    private sealed partial class Generator
    {
        private const ulong PageSize = GoRuntime.PageSize;

        private SeededRandom _rng;
        private readonly int _objects;
        private readonly GoArchitecture _arch;
        private readonly GoRelease _release;
        private readonly bool _realistic;
        private int _ncpu;
        private readonly int _ptr;
        private readonly ulong _heapBase;
        private readonly ulong _textBase;
        private readonly ulong _dataBase;
        private readonly ulong _bssBase;
        private readonly ulong _rodataBase;
        private readonly ulong _persistentBase;
        private readonly List<PlannedSpan> _spans = [];
        private readonly List<PlannedSpan> _objectSpans = [];

        /// <summary>What a pointer draw needs of each of <see cref="_objectSpans"/>, in the same order, packed.</summary>
        private readonly List<Target> _targets = [];

        /// <summary>What the live-slot draw reads of each of <see cref="_targets"/>: its free bits' index, its slot count, whether it is full.</summary>
        private readonly List<ulong> _targetKeys = [];
        private readonly BitPool _free = new();
        private readonly List<FuncInfo> _functions = [];
        private readonly Dictionary<string, FuncInfo> _functionsByName = [];
        private readonly List<RuntimeType> _types = [];
        private readonly List<MemProfBucket> _buckets = [];
        private ulong _cursor;
        private List<ulong> _threadAddresses = [];

        /// <summary>A span filler's pointers from the skip's log (none: the pointers are drawn).</summary>
        private PointerLog.Cursor _log;

        /// <summary>Where a span filler takes its span's memory (null: allocated).</summary>
        private MemoryPool? _memory;

        public Generator(ulong seed, int objects, GoArchitecture arch, GoRelease release, bool realistic)
        {
            _release = release;
            _realistic = realistic;
            _rng = new SeededRandom(seed ^ 0x676f686561706475); // "goheapdu": different streams per purpose are not needed
            _objects = objects;
            _arch = arch;
            _ptr = arch.PtrSize;
            var small = arch.Arenas.HeapArenaBytes < (64UL << 20);

            // Go 1.19 arena hints: 0x00c0<<32 on 64-bit (0x0040<<32 on arm64); 32-bit heaps start after the binary.
            _heapBase = small ? 0x0a000000UL : arch.Name == "arm64" ? 0x4000000000UL : 0xc000000000UL;
            _textBase = arch.Name == "386" || arch.Name == "arm" ? 0x08049000UL : arch.Name.StartsWith("mips", StringComparison.Ordinal) ? 0x00401000UL : 0x401000UL;
            _rodataBase = _textBase + 0x200000;
            _dataBase = _textBase + 0x400000;
            _bssBase = _dataBase + 0x20000;
            _persistentBase = _textBase + 0x800000;
            _cursor = _heapBase;
            _noneFree = _free.Append(new ulong[(KeyCountMask + 1) / 64], KeyCountMask + 1);
        }

        private ulong Mask => _ptr == 8 ? ulong.MaxValue : uint.MaxValue;

        /// <summary>The whole state, every span's memory and bitmaps in it.</summary>
        public RuntimeState Build()
        {
            var (platform, stackSpans) = Plan();
            var spans = new List<HeapSpan>(_spans.Count);
            foreach (var planned in _spans)
            {
                spans.Add(FillSpan(planned));
            }

            return Finish(platform, stackSpans, spans);
        }

        /// <summary>
        /// The same state without its spans, and a walk that produces them (the same ones <see cref="Build"/> holds) span by
        /// span: the draws that fill the spans are skipped here and made again, from the same point, by each walk.
        /// </summary>
        public (RuntimeState State, AllSpans Spans) Stream(long? pointerLogBudget)
        {
            var (platform, stackSpans) = Plan();
            var fillFrom = new ulong[_spans.Count];
            var budget = FillAheadBudget();
            // (With no target a pointer is nil without a draw, which a log entry cannot say: no log.)
            var log = new PointerLog(_spans.Count, _targets.Count == 0 ? 0 : LogEntries(pointerLogBudget ?? PointerLogBudget()));
            // The skip is sequential, the rest of the state and the dump wait for it; meanwhile a second core fills the first
            // spans from the positions and pointers the skip has passed.
            var ahead = new FillAhead(this, fillFrom, log, budget);
            try
            {
                for (var i = 0; i < _spans.Count; i++)
                {
                    fillFrom[i] = _rng.State;
                    SkipSpan(i, log);
                    ahead.Publish(i + 1);
                }
            }
            finally
            {
                ahead.Stop();
            }

            return (Finish(platform, stackSpans, spans: null), new PlannedSpans(this, fillFrom, log, ahead.Filled, budget));
        }

        /// <summary>
        /// Bytes of <see cref="PointerLog"/> at most (4 a pointer word, about 1.3 pointer words a live object: 52 MB for 10M
        /// objects): 64 MB while the plan is under 64 MB (about 130M objects), less as it grows to 128 MB, none after, so that
        /// a large dump's peak stays its plan's.
        /// </summary>
        private long PointerLogBudget()
        {
            if (_targets.Count > PointerLog.MaxTargets)
            {
                return 0; // more spans than the entries can name
            }

            var plan = (_spans.Count * 128L) + (_free.Length / 8);
            return Math.Clamp((128L << 20) - plan, 0, 64L << 20);
        }

        /// <summary>
        /// The log's entries: one a pointer word of the plan's spans, as many as <paramref name="budget"/> bytes hold at most
        /// (the log is allocated whole: under a heap limit, memory the GC gives counts whether it is touched or not).
        /// </summary>
        private int LogEntries(long budget)
        {
            var entries = 0L;
            for (var i = 0; i < _spans.Count && entries < budget / 4; i++)
            {
                if (_spans[i] is { State: SpanState.InUse, Shape: { NoScan: false } shape } span)
                {
                    entries += (long)span.Slots * ExpandPattern(shape, (int)span.ElemSize / _ptr).Count(c => c == 'p');
                }
            }

            return (int)Math.Min(entries, budget / 4);
        }

        /// <summary>
        /// Bytes of spans filled during the skip: 32 MB while the plan is small (about 128 bytes a span and a bit a slot: 5 MB
        /// for 10M objects), none from a plan of 16 MB (about 30M objects), so that a large dump's peak stays its plan's. Spans
        /// held that long outlive the GC's youngest generation: the peak grows by about three times the budget (10M objects:
        /// 49 to 94 MB) for about 5 % of the time (a larger budget gained no more: the GC took it back).
        /// </summary>
        private long FillAheadBudget()
        {
            var plan = (_spans.Count * 128L) + (_free.Length / 8);
            return Math.Clamp((64L << 20) - (4 * plan), 0, 32L << 20);
        }

        /// <summary>The functions, types, buckets and the heap's plan with its specials: every draw before the spans' contents.</summary>
        private (RuntimePlatform Platform, List<PlannedSpan> StackSpans) Plan()
        {
            var ncpu = _ncpu = 1 + _rng.Next(16);
            var platform = _realistic ? RuntimePlatform.ForRelease(_release, _arch.Name, ncpu) : RuntimePlatform.ForArch(_arch.Name, "go1.19.8", ncpu);
            BuildFunctions();
            BuildTypes();
            if (_realistic)
            {
                AddReleaseTypes();
            }

            BuildBuckets();
            PlanHeap(out var stackSpans);
            AddSpecials();
            return (platform, stackSpans);
        }

        /// <summary>Everything drawn after the spans' contents; <paramref name="spans"/> null: a state whose spans are walked.</summary>
        private RuntimeState Finish(RuntimePlatform platform, List<PlannedSpan> stackSpans, List<HeapSpan>? spans)
        {
            // Threads first: a goroutine's M must be one of them (Go: every g.m is on allm).
            var threads = BuildThreads(platform.Ncpu);
            _threadAddresses = threads.ConvertAll(t => t.Address);
            var goroutines = BuildGoroutines(stackSpans);
            var itabs = BuildItabs();
            // (A realistic small state, like the corpus's one per release, keeps its segments small too.)
            var small = _realistic && _objects < 1000;
            var data = BuildSegment(_dataBase, (small ? 0x300 : 0x1800) + (_rng.Next(64) * _ptr), 0.25, zeroFraction: 0.2);
            var bss = BuildSegment(_bssBase, (small ? 0x400 : 0x2000) + (_rng.Next(64) * _ptr), 0.1, zeroFraction: 0.7);
            var queue = BuildFinalizerQueue();
            var arenas = ArenasOf(platform.Arenas);
            var memStats = BuildMemStats();
            return new RuntimeState(
                platform,
                arenas: arenas,
                spans: spans,
                types: _types,
                itabs: itabs,
                goroutines: goroutines,
                waitReasonStrings: GoRuntime.WaitReasonStrings(_release),
                threads: threads,
                data: data,
                bss: bss,
                finalizerQueue: queue,
                memProfBuckets: _buckets,
                functions: _functions,
                memStats: memStats);
        }
    }

    /// <summary>
    /// The spans of a streamed state: each walk fills them again, in allspans order, each from the draws' point saved for it,
    /// a batch at a time on the thread pool ahead of the writer (at most a budget of bytes ahead); the first walk starts with
    /// the spans <see cref="FillAhead"/> filled while the plan was made.
    /// </summary>
    private sealed class PlannedSpans(Generator generator, ulong[] fillFrom, PointerLog log, HeapSpan?[] filled, long budget) : AllSpans
    {
        /// <summary>Spans filled together: about 2 MB of small-object spans, bounded by the largest objects' spans.</summary>
        private const int Batch = 256;

        private HeapSpan?[]? _filled = filled;

        public override IEnumerable<HeapSpan> Walk() => Walk(reuse: null);

        /// <summary>
        /// The walk whose spans' memory is given back to the fill once the writer is done with them: the heap's bytes are not
        /// allocated anew (for 10M objects, 380 MB through the GC's youngest generation, most of it still held ahead of the
        /// writer at each collection, was a seventh of the time).
        /// </summary>
        public override IEnumerable<HeapSpan> WalkOnce() => Walk(new MemoryPool());

        private IEnumerable<HeapSpan> Walk(MemoryPool? reuse)
        {
            var first = Interlocked.Exchange(ref _filled, null) ?? [];
            using var ahead = new BatchFiller(generator, fillFrom, log, reuse, first.Length, Bytes(first), Math.Max(budget, 4 * Batch * 8192L));
            for (var k = 0; k < first.Length; k++)
            {
                var span = first[k]!;
                first[k] = null; // the writer is done with it at the next step: it is not held for the rest of the walk
                yield return span;
                reuse?.Return(span);
                ahead.Release(Bytes(span));
            }

            foreach (var batch in ahead.Batches())
            {
                foreach (var span in batch)
                {
                    yield return span;
                }

                foreach (var span in batch)
                {
                    reuse?.Return(span);
                }

                ahead.Release(Bytes(batch));
            }

            ahead.ThrowIfFailed();
        }

        public override IEnumerable<(ulong SpanBase, SpanSpecial Special)> Specials() => generator.PlannedSpecials();

        private static long Bytes(HeapSpan? span) => span?.Memory.Length ?? 0;

        private static long Bytes(HeapSpan?[] spans)
        {
            var bytes = 0L;
            foreach (var span in spans)
            {
                bytes += Bytes(span);
            }

            return bytes;
        }

        /// <summary>
        /// Fills spans from <c>start</c> on, a batch at a time on every core (the writer takes its share), while fewer than the
        /// budget's bytes wait for the writer. Disposing it (the walk ends or is abandoned) stops it.
        /// </summary>
        private sealed class BatchFiller : IDisposable
        {
            private readonly BlockingCollection<HeapSpan[]> _ready = [];
            private readonly object _gate = new(); // a monitor: the filler waits on it for the writer
            private readonly Task _task;
            private long _waiting;
            private bool _stopped;

            public BatchFiller(Generator generator, ulong[] fillFrom, PointerLog log, MemoryPool? reuse, int start, long waiting, long budget)
            {
                _waiting = waiting;
                _task = Task.Run(() =>
                {
                    try
                    {
                        for (var at = start; at < fillFrom.Length; at += Batch)
                        {
                            lock (_gate)
                            {
                                while (_waiting >= budget && !_stopped)
                                {
                                    Monitor.Wait(_gate);
                                }

                                if (_stopped)
                                {
                                    return;
                                }
                            }

                            var spans = new HeapSpan[Math.Min(Batch, fillFrom.Length - at)];
                            var from = at;
                            Parallel.For(0, spans.Length, k => spans[k] = generator.FillSpan(from + k, fillFrom[from + k], log, reuse));
                            lock (_gate)
                            {
                                _waiting += Bytes(spans);
                            }

                            _ready.Add(spans);
                        }
                    }
                    finally
                    {
                        _ready.CompleteAdding();
                    }
                });
            }

            /// <summary>The filled batches in order, as they are filled.</summary>
            public IEnumerable<HeapSpan[]> Batches() => _ready.GetConsumingEnumerable();

            /// <summary>The writer is done with <paramref name="bytes"/> of spans.</summary>
            public void Release(long bytes)
            {
                lock (_gate)
                {
                    _waiting -= bytes;
                    Monitor.PulseAll(_gate);
                }
            }

            /// <summary>Rethrows what stopped the filling, if anything did.</summary>
            public void ThrowIfFailed() => _task.GetAwaiter().GetResult();

            public void Dispose()
            {
                lock (_gate)
                {
                    _stopped = true;
                    Monitor.PulseAll(_gate);
                }

                // Waits for the batch in hand (its failure, if any, was rethrown by ThrowIfFailed or is moot: the walk is over).
                ((IAsyncResult)_task).AsyncWaitHandle.WaitOne();
                _ready.Dispose();
            }
        }
    }

    /// <summary>
    /// Fills spans in allspans order on another core while <see cref="Generator.Stream"/> makes the plan's sequential skip
    /// over them, each as soon as the skip has passed its start, up to a budget of bytes; the first walk writes them.
    /// </summary>
    private sealed class FillAhead
    {
        private readonly Generator _generator;
        private readonly ulong[] _fillFrom;
        private readonly PointerLog _log;
        private readonly long _budget;
        private readonly List<HeapSpan?> _filled = [];
        private readonly Task _task;
        private int _published;
        private volatile bool _stop;

        public FillAhead(Generator generator, ulong[] fillFrom, PointerLog log, long budget)
        {
            _generator = generator;
            _fillFrom = fillFrom;
            _log = log;
            _budget = budget;
            _task = budget > 0 && Environment.ProcessorCount > 1 ? Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning) : Task.CompletedTask;
        }

        /// <summary>The spans filled, from the first.</summary>
        public HeapSpan?[] Filled => [.. _filled];

        /// <summary>The skip has passed the first <paramref name="count"/> spans: their positions and pointer logs are set.</summary>
        public void Publish(int count) => Volatile.Write(ref _published, count);

        /// <summary>Stops filling and waits for the span in hand.</summary>
        public void Stop()
        {
            _stop = true;
            _task.GetAwaiter().GetResult();
        }

        private void Run()
        {
            var bytes = 0L;
            var spin = default(SpinWait);
            for (var i = 0; i < _fillFrom.Length && bytes < _budget && !_stop;)
            {
                if (i >= Volatile.Read(ref _published))
                {
                    spin.SpinOnce(); // the fill is slower than the skip: it rarely catches up
                    continue;
                }

                var span = _generator.FillSpan(i, _fillFrom[i], _log);
                _filled.Add(span);
                bytes += span.Memory.Length;
                i++;
            }
        }
    }

    /// <summary>
    /// The plan's skip's record of the pointer words it drew, in the order a fill draws them, for the spans it covers (a prefix
    /// of allspans, up to a budget of bytes): 4 bytes a pointer, the slot it names and how many draws it took. A fill makes a
    /// logged pointer from it instead of drawing it again (the pointer draws, made twice and reading the free bits at random,
    /// were most of <c>generate</c>'s time; the skip, sequential, still makes them once).
    /// </summary>
    private sealed class PointerLog
    {
        /// <summary>A nil pointer (one draw).</summary>
        public const uint Nil = 1u << 30;

        /// <summary>Targets an entry can name: <see cref="Generator.PointerLogBudget"/> logs nothing for a heap of more spans.</summary>
        public const int MaxTargets = 1 << 20;

        private const int SlotBits = 10;

        private readonly uint[] _entries;
        private readonly int[] _from;
        private int _at;
        private int _end = int.MaxValue;

        public PointerLog(int spans, int entries)
        {
            // Uninitialised: every entry is written before it is read.
            _entries = entries > 0 ? GC.AllocateUninitializedArray<uint>(entries) : [];
            _from = _entries.Length > 0 ? new int[spans] : [];
            _end = _entries.Length > 0 ? int.MaxValue : 0;
        }

        /// <summary>
        /// The entry of a pointer to slot <paramref name="slot"/> of target <paramref name="index"/>, found at the live-slot
        /// draw's <paramref name="attempts"/>-th try: the top two bits count its draws (1 or 2 tries; 0 for more, or a slot
        /// past 1023: the fill draws it again).
        /// </summary>
        public static uint Entry(int attempts, int index, int slot) =>
            attempts <= 2 && slot < (1 << SlotBits) ? ((uint)(attempts + 1) << 30) | ((uint)index << SlotBits) | (uint)slot : 0;

        /// <summary>
        /// The draws of the pointer <paramref name="entry"/> logs before its last (the interior Chance): nil, 1 (and no last);
        /// 1 or 2 tries: 3 or 5 (the nil Chance, a pair a try); 0: not logged.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Draws(uint entry) => (0x05030100u >> (int)((entry >> 30) * 8)) & 0xff; // by the top bits: 0, 1, 3, 5

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int Index(uint entry) => (int)((entry >> SlotBits) & (MaxTargets - 1));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int Slot(uint entry) => (int)(entry & ((1u << SlotBits) - 1));

        /// <summary>
        /// Room for span <paramref name="index"/>'s <paramref name="count"/> pointers (spans come in allspans order), or an
        /// empty span once the log is full: it then logs no later span.
        /// </summary>
        public Span<uint> Add(int index, int count)
        {
            if (index >= _end || count > _entries.Length - _at)
            {
                _end = Math.Min(_end, index);
                return default;
            }

            _from[index] = _at;
            _at += count;
            return _entries.AsSpan(_from[index], count);
        }

        /// <summary>The log of span <paramref name="index"/>, which the skip has passed; empty when it was not logged.</summary>
        public Cursor Of(int index) => index < _end ? new Cursor(_entries, _from[index]) : default;

        /// <summary>A span's pointers, taken in order.</summary>
        public struct Cursor(uint[] entries, int at)
        {
            private readonly uint[]? _entries = entries;
            private int _at = at;

            public readonly bool IsEmpty => _entries is null;

            public uint Take() => _entries![_at++];
        }
    }

    /// <summary>
    /// Span memory a walk has given and the writer is done with, by length, for later spans of the same length (the spans
    /// of a size class all have one length, so a walk holds about its budget ahead of the writer and no more).
    /// </summary>
    private sealed class MemoryPool
    {
        private readonly ConcurrentDictionary<int, ConcurrentQueue<byte[]>> _free = new();

        /// <summary>Zeroed memory of <paramref name="length"/> bytes, as <c>new byte[length]</c> gives.</summary>
        public byte[] Rent(int length)
        {
            if (_free.TryGetValue(length, out var queue) && queue.TryDequeue(out var memory))
            {
                Array.Clear(memory);
                return memory;
            }

            return new byte[length];
        }

        /// <summary>The writer is done with <paramref name="span"/>: its memory may be given again.</summary>
        public void Return(HeapSpan span)
        {
            if (System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsArray(span.Memory) is { Length: > 0 } memory)
            {
                _free.GetOrAdd(memory.Length, _ => new ConcurrentQueue<byte[]>()).Enqueue(memory);
            }
        }
    }
}
