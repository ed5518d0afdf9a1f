using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
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
public static class StateBuilder
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

    private sealed class Generator
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

        // ---------------------------------------------------------------- functions (symbol table)

        private static readonly string[] FunctionNames =
        [
            "runtime.gopark", "runtime.goparkunlock", "runtime.chanrecv", "runtime.chanrecv1", "runtime.selectgo",
            "runtime.semacquire1", "sync.runtime_SemacquireMutex", "sync.(*Mutex).lockSlow", "sync.(*WaitGroup).Wait",
            "runtime.netpollblock", "internal/poll.runtime_pollWait", "internal/poll.(*pollDesc).wait",
            "internal/poll.(*FD).Read", "net.(*netFD).Read", "net.(*conn).Read", "bufio.(*Reader).fill",
            "net/http.(*conn).serve", "net/http.(*Server).Serve", "syscall.Syscall", "syscall.read", "os.(*File).Read",
            "main.worker", "main.(*Cache).Get", "main.process", "main.main", "main.main.func1", "runtime.main",
            "runtime.forcegchelper", "runtime.bgsweep", "runtime.bgscavenge", "runtime.runfinq", "runtime.gcBgMarkWorker",
            "runtime.mallocgc", "runtime.newobject", "runtime.makeslice", "runtime.growslice", "runtime.mapassign_fast64",
            "main.buildTree", "main.(*Node).Insert", "encoding/json.Unmarshal", "time.Sleep", "runtime.timeSleep",
            "", "runtime.goexit",
        ];

        private static readonly string[] Files =
        [
            "/usr/lib/go/src/runtime/proc.go", "/usr/lib/go/src/runtime/chan.go", "/usr/lib/go/src/runtime/select.go",
            "/usr/lib/go/src/runtime/malloc.go", "/usr/lib/go/src/sync/mutex.go", "/usr/lib/go/src/net/http/server.go",
            "/home/gopher/app/main.go", "/home/gopher/app/cache.go", "/usr/lib/go/src/runtime/asm_amd64.s",
        ];

        private void BuildFunctions()
        {
            var entry = _textBase;
            foreach (var name in FunctionNames)
            {
                var size = (ulong)(0x40 + (_rng.Next(0x60) * 0x10));
                var fn = NewFunction(name, entry, entry + size);
                _functions.Add(fn);
                _functionsByName[name] = fn;
                entry += size + (ulong)(_rng.Next(4) * 0x10); // gaps: padding findfunc does not resolve here
            }
        }

        private FuncInfo NewFunction(string name, ulong entry, ulong end)
        {
            var isGoexit = name == "runtime.goexit";
            var argWords = isGoexit ? 0 : _rng.Next(7);
            StackMap? args = null;
            if (argWords > 0 && _rng.Chance(0.85))
            {
                args = RandomMap(_rng.Next(1, 4), argWords);
            }

            StackMap? locals = null;
            if (!isGoexit)
            {
                var kind = _rng.Next(10);
                locals = kind switch
                {
                    < 6 => RandomMap(_rng.Next(1, 5), _rng.Next(9)),
                    6 => StackMap.LocalsSize(_ptr * _rng.Next(1, 7)),
                    7 => new StackMap { Count = 0 },
                    _ => null, // no locals information: every word is dumped
                };
            }

            // The stack-map index must stay below every map's bitmap count.
            var limit = int.MaxValue;
            if (locals is { Count: > 0 })
            {
                limit = locals.Count;
            }

            if (args is not null)
            {
                limit = Math.Min(limit, args.Count);
            }

            PcTable<int>? index = null;
            if (limit != int.MaxValue && (limit > 1 || _rng.Chance(0.5)))
            {
                index = SplitTable(entry, end, () => _rng.Next(-1, limit));
            }

            PcTable<SourceLine>? lines = null;
            if (!_rng.Chance(0.08))
            {
                var file = _rng.Pick(Files);
                var line = _rng.Next(20, 3000);
                lines = SplitTable(entry, end, () => _rng.Chance(0.03) ? new SourceLine(file, -1) : new SourceLine(file, line += _rng.Next(1, 9)));
            }

            return new FuncInfo
            {
                Entry = entry,
                End = end,
                Name = name,
                ArgsPointerMaps = args,
                LocalsPointerMaps = locals,
                StackMapIndex = index,
                Lines = lines,
            };
        }

        private PcTable<T> SplitTable<T>(ulong entry, ulong end, Func<T> value)
        {
            var runs = ImmutableArray.CreateBuilder<PcRun<T>>();
            var pieces = _rng.Next(1, 5);
            var at = entry;
            for (var i = 1; i < pieces; i++)
            {
                var next = at + (ulong)_rng.Next(1, (int)Math.Max(2, (end - at) / (ulong)(pieces - i + 1)));
                if (next >= end)
                {
                    break;
                }

                runs.Add(new PcRun<T>(next, value()));
                at = next;
            }

            runs.Add(new PcRun<T>(end, value()));
            return new PcTable<T>(runs.ToImmutable());
        }

        private StackMap RandomMap(int count, int bits)
        {
            var maps = new BitVector[count];
            for (var i = 0; i < count; i++)
            {
                var b = new BitVector.Builder(bits);
                for (var k = 0; k < bits; k++)
                {
                    b[k] = _rng.Chance(0.4);
                }

                maps[i] = b.ToBitVector();
            }

            return new StackMap { Count = count, BitCount = bits, Bitmaps = [.. maps] };
        }

        private FuncInfo Function(string name) => _functionsByName[name];

        private ulong PcIn(FuncInfo f, bool allowEntry) =>
            allowEntry && _rng.Chance(0.1) ? f.Entry : f.Entry + 1 + (ulong)_rng.Next((int)(f.End - f.Entry - 1));

        // ---------------------------------------------------------------- types and itabs

        private static readonly (string PkgPath, string Short)[] Packages =
        [
            ("main", "main"), ("net/http", "http"), ("os", "os"), ("io", "io"), ("bufio", "bufio"),
            ("encoding/json", "json"), ("sync", "sync"), ("context", "context"), ("time", "time"), ("fmt", "fmt"),
            ("internal/poll", "poll"), ("github.com/acme/store/v2", "store"),
        ];

        private static readonly string[] TypeWords =
        [
            "Node", "Server", "Conn", "Reader", "Writer", "Cache", "Entry", "Request", "Response", "Mutex", "Timer",
            "Decoder", "Encoder", "File", "Header", "Pool", "Context", "Value", "Error", "Handler",
        ];

        private void BuildTypes()
        {
            var count = Math.Clamp(40 + (_objects / 2000), 40, 3000);
            var address = _rodataBase;
            var hotBucket = (uint)_rng.Next(256);
            string[] builtins = ["int", "string", "error", "[]uint8", "*int", "map[string]int", "struct {}", "func()"];
            for (var i = 0; i < count; i++)
            {
                address += (ulong)(0x30 + (_rng.Next(8) * 0x10));
                var hash = (uint)_rng.NextUInt64();
                if (i % 7 == 3 && i < 60)
                {
                    hash = (hash & ~0xffu) | hotBucket; // several types in one bucket: the 4-way cache evicts
                }

                var (pkgPath, shortPkg) = _rng.Pick(Packages);
                var word = TypeWords[i % TypeWords.Length] + (i >= TypeWords.Length ? (i / TypeWords.Length).ToString(CultureInfo.InvariantCulture) : "");
                var kind = i < builtins.Length ? 0 : _rng.Next(1, 7);
                var size = (ulong)(_ptr * _rng.Next(1, 12));
                RuntimeType t = kind switch
                {
                    // Builtin or unnamed types: no package path, the type string is the name.
                    0 => new RuntimeType
                    {
                        Address = address, Hash = hash, Str = builtins[i], Size = size,
                        Named = !builtins[i].Contains(' ', StringComparison.Ordinal) && char.IsLetter(builtins[i][0]),
                        PkgPath = builtins[i] == "struct {}" ? GoString.Empty : (GoString?)null,
                        DirectIface = builtins[i].StartsWith('*'), PtrData = builtins[i].StartsWith('*') ? (ulong)_ptr : 0,
                    },

                    // Pointer to a named type: has methods (uncommon, pkgpath) but no name: dumps as "pkgpath.".
                    1 or 2 => new RuntimeType
                    {
                        Address = address, Hash = hash, Str = $"*{shortPkg}.{word}", Size = (ulong)_ptr, PkgPath = pkgPath,
                        DirectIface = true, PtrData = (ulong)_ptr, ExtraStar = false,
                    },

                    // Generic instantiation: the name keeps its bracketed type arguments, dots and all.
                    3 => new RuntimeType
                    {
                        Address = address, Hash = hash, Str = $"*{shortPkg}.Box[{shortPkg}.{word},int]", ExtraStar = true,
                        Named = true, PkgPath = pkgPath, Size = size, PtrData = size / 2 / (ulong)_ptr * (ulong)_ptr,
                    },

                    // Named struct, stored with the extra star the pointer type shares.
                    _ => new RuntimeType
                    {
                        Address = address, Hash = hash, Str = $"*{shortPkg}.{word}", ExtraStar = true, Named = true,
                        PkgPath = pkgPath, Size = size, PtrData = _rng.Chance(0.6) ? (ulong)_ptr * (ulong)_rng.Next(1, (int)(size / (ulong)_ptr) + 1) : 0,
                        DirectIface = false,
                    },
                };
                _types.Add(t);
            }
        }

        private List<Itab> BuildItabs()
        {
            var count = _types.Count * 3 / 2;
            var itabs = new List<Itab>(count);
            var address = _rodataBase + 0x100000;
            for (var i = 0; i < count; i++)
            {
                address += (ulong)(4 * _ptr) + (ulong)(_ptr * 2 * _rng.Next(3));
                // A few hot types appear in many itabs (cache hits), the rest once or twice.
                var t = _rng.Chance(0.3) ? _types[_rng.Next(Math.Min(12, _types.Count))] : _types[_rng.Next(_types.Count)];
                itabs.Add(new Itab(address, t));
            }

            return itabs;
        }

        // ---------------------------------------------------------------- heap

        private List<Shape> Shapes()
        {
            var w = _ptr;
            var bucketScalars = new string('s', (8 / w) + 8); // tophash [8]uint8, keys [8]int
            return
            [
                new("Node{next *Node; val int; name string}", "psp.", 4 * w, 30),
                new("string data", "", 16, 22, Text: true),
                new("[]int backing", "", 4 * w, 8),
                new("map bucket [8]int→*Node", bucketScalars + "ppppppppp", ((8 / w) + 17) * w, 2),
                new("struct{a any; b error}", "pppp", 4 * w, 4),
                new("[8]*Node", "pppppppp", 8 * w, 3),
                new("struct{p, q *T; a, b, c, d int}", "pp....", 6 * w, 4),
                new("*T cell", "p", w, 3),
                new("[]Node backing, 3 elements", "psp.*", 12 * w, 2),
                new("struct{x int; p *T; y int}", "sp.", 3 * w, 3),
                new("bytes.Buffer data 64", "", 64, 2, Text: true),
                new("bytes 512", "", 512, 1),
                new("bytes 1024", "", 1024, 1),
                new("bytes 4096", "", 4096, 0.5),
                new("struct with 12 words", "pspspsps....", 12 * w, 2),
            ];
        }

        /// <summary>
        /// Lays out the heap: goroutine stacks at even intervals, a large object every third of the objects, size-class
        /// spans for the rest (a few freed spans between them), then allspans' order. The random draws happen in the order
        /// the seeded fixtures depend on.
        /// </summary>
        private void PlanHeap(out List<PlannedSpan> stackSpans)
        {
            var shapes = Shapes();
            var totalWeight = shapes.Sum(s => s.Weight);
            var live = 0;
            stackSpans = [];
            var goroutines = Math.Clamp(4 + (_objects / 40000), 6, 64);
            var stacksEvery = Math.Max(1, _objects / goroutines);
            var nextStack = 0;
            var nextLarge = _objects >= 100 ? _objects / 3 : int.MaxValue;
            var jumped = false;
            while (live < _objects || stackSpans.Count < goroutines)
            {
                if (stackSpans.Count < goroutines && (live >= nextStack || live >= _objects))
                {
                    stackSpans.Add(PlanStack());
                    nextStack += stacksEvery;
                    continue;
                }

                if (live >= _objects)
                {
                    continue;
                }

                if (_rng.Chance(0.004))
                {
                    NewSpan((ulong)_rng.Next(1, 5), SpanState.Dead); // a freed span, not dumped
                }

                if (live >= nextLarge)
                {
                    PlanLargeObject(ref jumped);
                    live++;
                    nextLarge += Math.Max(_objects / 3, 50000);
                    continue;
                }

                live += PlanSmallObjectSpan(PickShape(shapes, totalWeight), _objects - live);
            }

            ShuffleAllSpans();
        }

        /// <summary>A goroutine stack: a manually managed span from the heap arenas.</summary>
        private PlannedSpan PlanStack()
        {
            var pages = _rng.Chance(0.2) ? 4UL : 1UL;
            return NewSpan(pages, SpanState.Manual);
        }

        /// <summary>A large object: a span of its own; a pointer array or noscan bytes; sometimes in a later arena.</summary>
        private void PlanLargeObject(ref bool jumped)
        {
            if (!jumped && _rng.Chance(0.5))
            {
                // Start a later arena, leaving a gap: the params range is a bounding box.
                _cursor = AlignUp(_cursor, _arch.Arenas.HeapArenaBytes) + _arch.Arenas.HeapArenaBytes;
                jumped = true;
            }

            var bytes = (ulong)_rng.Next(40 * 1024, 200 * 1024);
            var pages = (bytes + PageSize - 1) / PageSize;
            var shape = _rng.Chance(0.5) ? new Shape("[]*Node backing (large)", "p*", (int)(pages * PageSize), 0) : new Shape("[]byte (large)", "", (int)(pages * PageSize), 0);
            var large = NewSpan(pages, SpanState.InUse);
            large.Shape = shape;
            large.ElemSize = pages * PageSize;
            large.Slots = 1;
            large.Free = BitVector.Zeros(1);
            _objectSpans.Add(large);
        }

        /// <summary>A shape drawn by weight.</summary>
        private Shape PickShape(List<Shape> shapes, double totalWeight)
        {
            var pick = _rng.NextUInt64() % 1_000_000 / 1_000_000.0 * totalWeight;
            foreach (var s in shapes)
            {
                if ((pick -= s.Weight) < 0)
                {
                    return s;
                }
            }

            return shapes[^1];
        }

        /// <summary>A span of <paramref name="shape"/>'s size class with some free slots; returns how many objects it holds.</summary>
        private int PlanSmallObjectSpan(Shape shape, int wanted)
        {
            var sizeClass = SizeClasses.ClassFor(shape.Size);
            var elemSize = SizeClasses.Size[sizeClass];
            var spanPages = SizeClasses.Pages[sizeClass];
            var span = NewSpan(spanPages, SpanState.InUse);
            span.Shape = shape;
            span.ElemSize = elemSize;
            span.Slots = (int)(spanPages * PageSize / elemSize);

            // Free slots: half the spans are full, the rest have a few to many free slots.
            var free = new BitVector.Builder(span.Slots);
            var freeCount = 0;
            var freeFraction = _rng.Chance(0.5) ? 0 : _rng.Next(1, 40) / 100.0;
            for (var j = 0; j < span.Slots; j++)
            {
                // Past the wanted object count, the rest of the last span is free.
                var isFree = _rng.Chance(freeFraction) || j - freeCount >= wanted;
                if (isFree && freeCount < span.Slots - 1)
                {
                    free[j] = true;
                    freeCount++;
                }
            }

            span.Free = free.ToBitVector();
            _objectSpans.Add(span);
            return span.Slots - freeCount;
        }

        /// <summary>allspans is in creation order, and spans are reused: a few swaps make it differ from address order.</summary>
        private void ShuffleAllSpans()
        {
            for (var i = 0; i < _spans.Count / 50; i++)
            {
                var a = _rng.Next(_spans.Count);
                var b = _rng.Next(_spans.Count);
                (_spans[a], _spans[b]) = (_spans[b], _spans[a]);
            }
        }

        private static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) / alignment * alignment;

        private PlannedSpan NewSpan(ulong pages, SpanState state)
        {
            var span = new PlannedSpan { Base = _cursor, Pages = pages, State = state };
            _cursor += pages * PageSize;
            _spans.Add(span);
            return span;
        }

        /// <summary>
        /// A random allocated slot. Specials and queued finalizers must name live objects (Go: they keep them
        /// alive), so after a few random misses — a nearly empty span — take the next allocated slot after the
        /// last guess; every object span has at least one.
        /// </summary>
        private (PlannedSpan Span, int Slot) RandomLiveObject()
        {
            for (var attempt = 0; ; attempt++)
            {
                var span = _objectSpans[_rng.Next(_objectSpans.Count)];
                var slot = _rng.Next(span.Slots);
                if (!span.Free[slot])
                {
                    return (span, slot);
                }

                if (attempt >= 20)
                {
                    for (var k = 1; k <= span.Slots; k++)
                    {
                        var next = (slot + k) % span.Slots;
                        if (!span.Free[next])
                        {
                            return (span, next);
                        }
                    }
                }
            }
        }

        private ulong RandomPointerValue()
        {
            if (_objectSpans.Count == 0 || _rng.Chance(0.12))
            {
                return 0; // nil
            }

            var (span, slot) = RandomLiveObject();
            var address = span.Base + ((ulong)slot * span.ElemSize);
            if (_rng.Chance(0.05) && span.ElemSize > (ulong)_ptr)
            {
                address += (ulong)_ptr; // interior pointer
            }

            return address;
        }

        private void AddSpecials()
        {
            if (_objectSpans.Count == 0)
            {
                return;
            }

            var finalizers = Math.Max(2, _objects / 100000);
            for (var i = 0; i < finalizers; i++)
            {
                var (span, slot) = RandomScanObject();
                var offset = (ulong)slot * span.ElemSize;
                if (offset > ushort.MaxValue || span.Specials.Any(s => s.Offset == (ushort)offset && s.Kind == FinalizerSpecial.KindValue))
                {
                    continue;
                }

                var fn = Function(_rng.Chance(0.5) ? "main.main.func1" : "main.process");
                span.Specials.Add(new FinalizerSpecial((ushort)offset, new FuncVal(_dataBase + (ulong)(_ptr * _rng.Next(64)), fn.Entry), _rng.Pick(_types).Address, _rng.Pick(_types).Address));
            }

            var samples = Math.Clamp(_objects / 2000, 3, 500);
            for (var i = 0; i < samples; i++)
            {
                var (span, slot) = RandomLiveObject();
                var offset = (ulong)slot * span.ElemSize;
                if (offset > ushort.MaxValue || span.Specials.Any(s => s.Offset == (ushort)offset && s.Kind == ProfileSpecial.KindValue))
                {
                    continue;
                }

                span.Specials.Add(new ProfileSpecial((ushort)offset, _rng.Pick(_buckets).Address));
            }

            foreach (var span in _objectSpans)
            {
                span.Specials.Sort((a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : a.Kind.CompareTo(b.Kind));
            }
        }

        private (PlannedSpan Span, int Slot) RandomScanObject()
        {
            for (var attempt = 0; ; attempt++)
            {
                var (span, slot) = RandomLiveObject();
                if (!span.Shape!.NoScan || attempt > 50)
                {
                    return (span, slot);
                }
            }
        }

        private List<HeapSpan> FillHeap()
        {
            var result = new List<HeapSpan>(_spans.Count);
            foreach (var planned in _spans)
            {
                if (planned.State != SpanState.InUse)
                {
                    result.Add(new HeapSpan { Base = planned.Base, Pages = planned.Pages, State = planned.State });
                    continue;
                }

                var shape = planned.Shape!;
                var size = (int)planned.ElemSize;
                var words = size / _ptr;
                var memory = new byte[planned.Slots * size];
                var pointer = new BitVector.Builder(planned.Slots * words);
                var scan = new BitVector.Builder(planned.Slots * words);
                var pattern = ExpandPattern(shape, words);
                var singlePointer = !shape.NoScan && size == _ptr; // Go: initHeapBits: one-pointer spans are all pointer/scan
                for (var j = 0; j < planned.Slots; j++)
                {
                    var slot = memory.AsSpan(j * size, size);
                    FillObject(slot, shape, pattern);
                    if (shape.NoScan)
                    {
                        continue; // Go: the bitmap of a noscan span is cleared: every word dead
                    }

                    for (var w = 0; w < words; w++)
                    {
                        var c = singlePointer ? 'p' : pattern[w];
                        if (c != '.')
                        {
                            scan[(j * words) + w] = true;
                            pointer[(j * words) + w] = c == 'p';
                        }
                    }
                }

                result.Add(new HeapSpan
                {
                    Base = planned.Base,
                    Pages = planned.Pages,
                    State = SpanState.InUse,
                    ElemSize = planned.ElemSize,
                    ElemCount = planned.Slots,
                    FreeSlots = planned.Free,
                    Memory = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(memory),
                    Bits = new HeapBitmap(pointer.ToBitVector(), scan.ToBitVector()),
                    Specials = [.. planned.Specials],
                });
            }

            return result;
        }

        /// <summary>
        /// The slot's per-word pattern: the shape's words, repeated for '*' (arrays), then dead. Scan bits run
        /// to the last pointer word (Go 1.19 heapBitsSetType: scan for the words before totalptr).
        /// </summary>
        private static char[] ExpandPattern(Shape shape, int words)
        {
            var result = new char[words];
            Array.Fill(result, '.');
            var pattern = shape.Words.TrimEnd('*');
            var repeat = shape.Words.EndsWith('*');
            for (var w = 0; w < words && pattern.Length > 0; w++)
            {
                if (w >= pattern.Length && !repeat)
                {
                    break;
                }

                result[w] = pattern[w % pattern.Length];
            }

            // Scan through the last pointer word only.
            var last = Array.LastIndexOf(result, 'p');
            for (var w = last + 1; w < words; w++)
            {
                result[w] = '.';
            }

            return result;
        }

        private void FillObject(Span<byte> slot, Shape shape, char[] pattern)
        {
            if (shape.NoScan)
            {
                if (shape.Text)
                {
                    for (var i = 0; i < slot.Length; i++)
                    {
                        slot[i] = (byte)"abcdefghijklmnopqrstuvwxyz0123456789 _-"[_rng.Next(39)];
                    }
                }
                else
                {
                    FillScalars(slot);
                }

                return;
            }

            for (var w = 0; w < pattern.Length; w++)
            {
                var word = slot.Slice(w * _ptr, _ptr);
                if (pattern[w] == 'p')
                {
                    WriteWord(word, RandomPointerValue());
                }
                else
                {
                    WriteWord(word, _rng.Chance(0.7) ? (ulong)_rng.Next(1000) : _rng.NextUInt64() & Mask);
                }
            }
        }

        private void FillScalars(Span<byte> bytes)
        {
            for (var i = 0; i + _ptr <= bytes.Length; i += _ptr)
            {
                WriteWord(bytes.Slice(i, _ptr), (ulong)_rng.Next(100000));
            }
        }

        private void WriteWord(Span<byte> destination, ulong value)
        {
            switch (_ptr, _arch.BigEndian)
            {
                case (8, false): BinaryPrimitives.WriteUInt64LittleEndian(destination, value); break;
                case (8, true): BinaryPrimitives.WriteUInt64BigEndian(destination, value); break;
                case (_, false): BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)value); break;
                default: BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)value); break;
            }
        }

        private static List<ulong> ArenasOf(List<HeapSpan> spans, ArenaGeometry geometry)
        {
            var set = new SortedSet<ulong>();
            foreach (var s in spans)
            {
                var first = (s.Base - geometry.BaseOffset) / geometry.HeapArenaBytes;
                var last = (s.Base + s.ByteCount - 1 - geometry.BaseOffset) / geometry.HeapArenaBytes;
                for (var a = first; a <= last; a++)
                {
                    set.Add(a);
                }
            }

            return [.. set];
        }

        // ---------------------------------------------------------------- goroutines

        private List<Goroutine> BuildGoroutines(List<PlannedSpan> stacks)
        {
            var result = new List<Goroutine>(stacks.Count + 2);
            uint[] statuses = [GoroutineStatus.Waiting, GoroutineStatus.Runnable, GoroutineStatus.Syscall, GoroutineStatus.Waiting, GoroutineStatus.Dead];
            long goid = 1;
            for (var i = 0; i < stacks.Count; i++)
            {
                var status = i < statuses.Length ? statuses[i] : _rng.Chance(0.15) ? GoroutineStatus.Dead : statuses[_rng.Next(4)];
                var gAddress = _persistentBase + 0x40000 + ((ulong)i * 0x1a0); // g structs are never freed
                result.Add(BuildGoroutine(gAddress, goid, status, stacks[i], i));
                goid += 1 + _rng.Next(3);
            }

            return result;
        }

        private Goroutine BuildGoroutine(ulong address, long goid, uint status, PlannedSpan stack, int index)
        {
            var gopcFn = Function(index == 0 ? "runtime.main" : "main.main");
            if (status == GoroutineStatus.Dead)
            {
                return new Goroutine { Address = address, Status = status, Goid = goid, Gopc = PcIn(gopcFn, false) };
            }

            // Innermost function by state; middle frames from the pool; runtime.goexit at the top.
            var inner = status switch
            {
                GoroutineStatus.Syscall => Function("syscall.Syscall"),
                GoroutineStatus.Waiting => Function(_rng.Chance(0.5) ? "runtime.gopark" : "runtime.goparkunlock"),
                _ => Function(_rng.Pick(["main.worker", "main.process", "runtime.mallocgc", "main.(*Node).Insert"])),
            };
            var depth = _rng.Next(1, 9);
            var chain = new List<FuncInfo> { inner };
            for (var k = 1; k < depth; k++)
            {
                chain.Add(_rng.Chance(0.05) ? Function("") : _functions[_rng.Next(_functions.Count - 2)]);
            }

            chain.Add(Function("runtime.goexit"));
            var frames = BuildFrames(chain, stack, status == GoroutineStatus.Runnable && _rng.Chance(0.3));

            var isSyscall = status == GoroutineStatus.Syscall;
            var defers = new List<Defer>();
            var panics = new List<Panic>();
            if (_rng.Chance(0.4) || index == 1)
            {
                var n = _rng.Next(1, 4);
                for (var d = 0; d < n; d++)
                {
                    var frame = frames[_rng.Next(frames.Count)];
                    var fn = frame.Function!;
                    defers.Add(new Defer(
                        stack.Base + 0x100 + (ulong)(0x30 * d), // defer records on the stack (Go 1.13+), below the frames
                        frame.Sp,
                        d == 0 && index == 1 ? 0 : PcIn(fn, false),
                        d == 0 && index == 1 || _rng.Chance(0.3) ? null : new FuncVal(_dataBase + (ulong)(_ptr * _rng.Next(128)), Function("main.main.func1").Entry)));
                }

                if (_rng.Chance(0.5) || index == 1)
                {
                    var stringType = _types.Find(t => t.Str == "string")!;
                    var np = index == 1 ? 2 : _rng.Next(1, 3);
                    for (var p = 0; p < np; p++)
                    {
                        panics.Add(new Panic(stack.Base + (ulong)(0x40 * (p + 1)), stringType.Address, RandomPointerValue()));
                    }
                }
            }

            var sp = frames.Count > 0 ? frames[0].Sp : stack.Base + (stack.Pages * PageSize);
            var pc = frames.Count > 0 ? frames[0].Pc : 0;
            var waitReason = (byte)(status == GoroutineStatus.Waiting
                ? (index == 3 || _rng.Chance(0.1) ? 200 + _rng.Next(50) : _rng.Next(1, GoRuntime.WaitReasonStrings119.Length)) // index 3 (waiting by plan): always one "unknown wait reason"
                : 0);
            return new Goroutine
            {
                Address = address,
                Status = status,
                Goid = goid,
                Gopc = PcIn(gopcFn, false),
                IsSystem = index != 0 && _rng.Chance(0.2),
                WaitSince = status == GoroutineStatus.Waiting && _rng.Chance(0.5) ? 1_000_000_000L + _rng.Next(1 << 30) : 0,
                WaitReason = waitReason,
                SchedSp = isSyscall ? sp - (ulong)(_ptr * 8) : sp,
                SchedPc = isSyscall ? PcIn(Function("runtime.goexit"), false) : pc,
                SchedLr = 0,
                SchedCtxt = _rng.Chance(0.2) ? RandomPointerValue() : 0,
                SyscallSp = isSyscall ? sp : 0,
                SyscallPc = isSyscall ? pc : 0,
                M = isSyscall || _rng.Chance(0.1) ? _threadAddresses[_rng.Next(_threadAddresses.Count)] : 0,
                Frames = [.. frames],
                Defers = [.. defers],
                Panics = [.. panics],
            };
        }

        /// <summary>
        /// Frames laid out as gentraceback sees them (runtime/traceback.go): each caller's sp is its callee's fp;
        /// a frame is [MinFrameSize reserved | callee's arguments | locals | saved frame pointer (amd64, arm64) |
        /// return address (x86)]; varp = fp (less the return address on x86 and the frame pointer when
        /// enabled); argp = fp + MinFrameSize.
        /// </summary>
        private List<StackFrame> BuildFrames(List<FuncInfo> chain, PlannedSpan stack, bool startAtEntry)
        {
            var ptr = (ulong)_ptr;
            var min = (ulong)_arch.MinFrameSize;
            var x86 = !_arch.UsesLinkRegister;
            var sizes = new ulong[chain.Count];
            var localsBytes = new ulong[chain.Count];
            for (var k = 0; k < chain.Count; k++)
            {
                var f = chain[k];
                var outArgs = k == 0 ? 0 : ArgLen(chain[k - 1]);
                var locals = f.LocalsPointerMaps switch
                {
                    { Count: > 0 } m => ((ulong)m.BitCount + (ulong)_rng.Next(2)) * ptr,
                    { Count: < 0 } m => (ulong)-(long)m.Count,
                    _ => (ulong)_rng.Next(4) * ptr,
                };
                var leaf = k == 0 && !x86 && locals == 0 && _rng.Chance(0.3);
                var size = leaf ? 0 : min + outArgs + locals;
                if (_arch.FramePointerEnabled && (size > 0 || x86))
                {
                    size += ptr; // saved frame pointer
                }

                if (x86)
                {
                    size += ptr; // return address pushed by CALL
                }

                // Keep the whole frame a multiple of the pointer size.
                sizes[k] = AlignUp(size, ptr);
                localsBytes[k] = locals;
            }

            var total = sizes.Aggregate(0UL, (a, b) => a + b);
            var hi = stack.Base + (stack.Pages * PageSize);
            var sp = hi - total - (ulong)(_rng.Next(4) * _ptr);
            var frames = new List<StackFrame>(chain.Count);
            for (var k = 0; k < chain.Count; k++)
            {
                var f = chain[k];
                var fp = sp + sizes[k];
                var varp = fp;
                if (x86)
                {
                    varp -= ptr;
                }

                if (varp > sp && _arch.FramePointerEnabled)
                {
                    varp -= ptr;
                }

                var contents = new byte[sizes[k]];
                for (var w = 0; w + _ptr <= contents.Length; w += _ptr)
                {
                    WriteWord(contents.AsSpan(w, _ptr), _rng.Chance(0.3) ? RandomPointerValue() : (ulong)_rng.Next(5000));
                }

                var pc = k == 0 && startAtEntry ? f.Entry : PcIn(f, k == 0);
                var continuation = _rng.Chance(0.05) ? 0 : pc;
                frames.Add(new StackFrame
                {
                    Function = f,
                    Pc = pc,
                    ContinuationPc = continuation,
                    Sp = sp,
                    Fp = fp,
                    Varp = varp,
                    Argp = fp + (ulong)_arch.MinFrameSize,
                    ArgLen = ArgLen(f),
                    Contents = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(contents),
                });
                sp = fp;
            }

            return frames;
        }

        private ulong ArgLen(FuncInfo f) =>
            f.ArgsPointerMaps is { } m ? (ulong)m.BitCount * (ulong)_ptr : (ulong)(((f.Entry >> 4) % 4) * (ulong)_ptr);

        // ---------------------------------------------------------------- roots, threads, memprof, memstats

        private List<OsThread> BuildThreads(int ncpu)
        {
            var threads = new List<OsThread>();
            var n = ncpu + 1 + _rng.Next(3);
            for (var i = 0; i < n; i++)
            {
                threads.Add(new OsThread(i == 0 ? _bssBase + 0x400 : _persistentBase + 0x20000 + ((ulong)i * 0x400), i, (ulong)(4000 + (i * 3) + _rng.Next(3))));
            }

            return threads;
        }

        private ModuleSegment BuildSegment(ulong address, int bytes, double pointerFraction, double zeroFraction)
        {
            bytes = bytes / _ptr * _ptr;
            var contents = new byte[bytes];
            var words = bytes / _ptr;
            var mask = new BitVector.Builder(words);
            for (var w = 0; w < words; w++)
            {
                var isPointer = _rng.Chance(pointerFraction);
                mask[w] = isPointer;
                if (_rng.Chance(zeroFraction))
                {
                    continue;
                }

                WriteWord(contents.AsSpan(w * _ptr, _ptr), isPointer ? RandomPointerValue() : (ulong)_rng.Next(1 << 20));
            }

            return new ModuleSegment(address, System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(contents), mask.ToBitVector());
        }

        private List<QueuedFinalizer> BuildFinalizerQueue()
        {
            var queue = new List<QueuedFinalizer>();
            var n = _objectSpans.Count == 0 ? 0 : _rng.Next(1, 4);
            for (var i = 0; i < n; i++)
            {
                var (span, slot) = RandomLiveObject();
                queue.Add(new QueuedFinalizer(span.Base + ((ulong)slot * span.ElemSize), new FuncVal(_dataBase + (ulong)(_ptr * (64 + i)), Function("main.process").Entry), _rng.Pick(_types).Address, _rng.Pick(_types).Address));
            }

            return queue;
        }

        private void BuildBuckets()
        {
            var n = Math.Clamp(5 + (_objects / 50000), 5, 200);
            var address = _persistentBase;
            for (var i = 0; i < n; i++)
            {
                var depth = _rng.Next(2, 9);
                var stack = ImmutableArray.CreateBuilder<ulong>(depth);
                for (var k = 0; k < depth; k++)
                {
                    var roll = _rng.Next(20);
                    stack.Add(roll switch
                    {
                        0 => 0x1a2b, // no function here: written as "(0x1a2b)"
                        1 when k == depth - 1 => 0, // "(0x0)"
                        2 => _functions[_rng.Next(_functions.Count)].Entry, // pc == entry: no pc−1
                        _ => PcIn(_functions[_rng.Next(_functions.Count)], false),
                    });
                }

                var allocs = (ulong)_rng.Next(1, 10000);
                _buckets.Add(new MemProfBucket(address, (ulong)SizeClasses.Size[_rng.Next(1, 30)], stack.MoveToImmutable(), allocs, allocs - (ulong)_rng.Next((int)allocs)));
                address += (ulong)(0x60 + (depth * _ptr) + (_rng.Next(4) * 0x10));
            }
        }

        private MemStats BuildMemStats(List<HeapSpan> spans)
        {
            ulong inuse = 0, stackInuse = 0;
            foreach (var s in spans)
            {
                inuse += s.State == SpanState.InUse ? s.ByteCount : 0;
                stackInuse += s.State == SpanState.Manual ? s.ByteCount : 0;
            }

            var numGC = (uint)_rng.Next(3, 400);
            var pauses = new ulong[256];
            ulong pauseTotal = 0;
            for (var i = 0; i < Math.Min(numGC, 256u); i++)
            {
                pauses[i] = (ulong)_rng.Next(20_000, 900_000);
                pauseTotal += pauses[i];
            }

            var heapSys = AlignUp(inuse + stackInuse, 4UL << 20) + (4UL << 20);
            var frees = (ulong)_rng.Next(1 << 20);
            var other = (ulong)_rng.Next(1 << 20, 4 << 20);
            // What the heap model does not hold; MemStats.Read derives the rest from the spans as readmemstats_m does.
            var rest = new MemStats
            {
                Frees = frees,
                HeapSys = heapSys,
                HeapReleased = (heapSys - inuse) / 2,
                StackSys = stackInuse + (512UL << 10),
                MSpanInuse = (ulong)spans.Count * 160,
                MSpanSys = AlignUp((ulong)spans.Count * 160, 16384),
                MCacheInuse = 14400,
                MCacheSys = 15600,
                BuckHashSys = 1_500_000 + (ulong)_rng.Next(100_000),
                GCSys = (inuse / 32) + (1UL << 20),
                OtherSys = other,
                LastGC = 1_700_000_000_000_000_000UL + (ulong)_rng.Next(1 << 30),
                PauseTotalNs = pauseTotal,
                PauseNs = [.. pauses],
                NumGC = numGC,
            };
            var stats = MemStats.Read(spans, rest, frees * 32);
            return stats with { NextGC = Math.Max(4UL << 20, stats.HeapAlloc * 2) };
        }
    }
}
