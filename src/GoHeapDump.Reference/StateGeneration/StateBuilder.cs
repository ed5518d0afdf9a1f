using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

/// <summary>
/// Builds realistic Go 1.19 runtime states from a seed, for <c>goheapdump generate</c> and benchmarks:
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
    public static RuntimeState Build(ulong seed, int objects, string goarch = "amd64")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(objects);
        return new Generator(seed, objects, GoArchitecture.Get(goarch)).Build();
    }

    /// <summary>An object layout: one char per word: 'p' pointer, 's' scalar, '.' past the pointers; '*' repeats the pattern through the slot.</summary>
    private sealed record Shape(string Name, string Words, int Size, double Weight, bool Text = false)
    {
        public bool NoScan => !Words.Contains('p', StringComparison.Ordinal);
    }

    private sealed class PlannedSpan
    {
        public required ulong Base;
        public required ulong Pages;
        public required SpanState State;
        public Shape? Shape;
        public ulong ElemSize;
        public int Slots;
        public BitVector Free = BitVector.Empty;
        public List<SpanSpecial> Specials { get; } = [];
    }

    private sealed partial class Generator
    {
        private const ulong PageSize = GoRuntime.PageSize;

        private readonly SeededRandom _rng;
        private readonly int _objects;
        private readonly GoArchitecture _arch;
        private readonly int _ptr;
        private readonly ulong _heapBase;
        private readonly ulong _textBase;
        private readonly ulong _dataBase;
        private readonly ulong _bssBase;
        private readonly ulong _rodataBase;
        private readonly ulong _persistentBase;
        private readonly List<PlannedSpan> _spans = [];
        private readonly List<PlannedSpan> _objectSpans = [];
        private readonly List<FuncInfo> _functions = [];
        private readonly Dictionary<string, FuncInfo> _functionsByName = [];
        private readonly List<RuntimeType> _types = [];
        private readonly List<MemProfBucket> _buckets = [];
        private ulong _cursor;
        private List<ulong> _threadAddresses = [];

        public Generator(ulong seed, int objects, GoArchitecture arch)
        {
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
        }

        private ulong Mask => _ptr == 8 ? ulong.MaxValue : uint.MaxValue;

        public RuntimeState Build()
        {
            var platform = RuntimePlatform.ForArch(_arch.Name, "go1.19.8", 1 + _rng.Next(16));
            BuildFunctions();
            BuildTypes();
            BuildBuckets();
            PlanHeap(out var stackSpans);
            AddSpecials();
            var spans = FillHeap();
            // Threads first: a goroutine's M must be one of them (Go: every g.m is on allm).
            var threads = BuildThreads(platform.Ncpu);
            _threadAddresses = threads.ConvertAll(t => t.Address);
            var goroutines = BuildGoroutines(stackSpans);
            var itabs = BuildItabs();
            var data = BuildSegment(_dataBase, 0x1800 + (_rng.Next(64) * _ptr), 0.25, zeroFraction: 0.2);
            var bss = BuildSegment(_bssBase, 0x2000 + (_rng.Next(64) * _ptr), 0.1, zeroFraction: 0.7);
            var queue = BuildFinalizerQueue();
            var arenas = ArenasOf(spans, platform.Arenas);
            var memStats = BuildMemStats(spans);
            return new RuntimeState(
                platform,
                arenas: arenas,
                spans: spans,
                types: _types,
                itabs: itabs,
                goroutines: goroutines,
                threads: threads,
                data: data,
                bss: bss,
                finalizerQueue: queue,
                memProfBuckets: _buckets,
                functions: _functions,
                memStats: memStats);
        }
    }
}
