using System.Collections.Immutable;
using GoHeapDump.Runtime;

namespace GoHeapDump.Properties.Tests.Generators;

/// <summary>Which kind of state the generator makes.</summary>
public enum StateKind
{
    /// <summary>A state the runtime dumps completely.</summary>
    Valid,

    /// <summary>A valid model on which the runtime's dump dies (a bad goroutine status, a span of more than 1024 slots, an unresolvable PC).</summary>
    Fatal,
}

/// <summary>
/// Builds random runtime states that obey the model's invariants (the <see cref="RuntimeState"/> constructor
/// checks them all): objects inside spans inside arenas, heap bitmaps inside slots with no pointer bit
/// without its scan bit, frames laid out up the stack with their stack maps inside them, stack-map indices
/// inside the maps, callee arguments inside the caller's frame, non-overlapping functions… Every feature of
/// the dump and its edges occur with useful frequency: empty heaps, spans in every state, free slots, objects
/// larger than the 4 KiB write buffer, pointer size 4 and 8, big-endian, addresses near 2^64 (10-byte
/// uvarints), more than four types in one type-cache bucket, goroutines with 0..n frames, open-coded and
/// ordinary defers, nested panics, every stack-map variant, empty and large strings, unresolvable memprof
/// PCs, queued finalizers. <paramref name="size"/> (FsCheck's size, 0..100) scales the number of parts.
/// </summary>
public static class StateGenerator
{
    /// <summary>
    /// Where the traceback starts frame 0 (Go: runtime/traceback.go, "if frame.pc == 0"): the goroutine's
    /// sp, one word higher when the traceback pc is 0 on a GOARCH without a link register (386, amd64, wasm).
    /// </summary>
    internal static ulong FirstFrameSp(RuntimePlatform platform, Goroutine g) =>
        g.TracebackPc == 0 && platform.Goarch.ToString() is "386" or "amd64" or "wasm" ? g.TracebackSp + (ulong)platform.PtrSize : g.TracebackSp;

    /// <summary>The state for <paramref name="seed"/> and <paramref name="size"/>: the same arguments give the same state.</summary>
    public static RuntimeState Build(ulong seed, int size, StateKind kind = StateKind.Valid) =>
        new Builder(new Rng(seed), Math.Clamp(size, 0, 100), kind).Build();

    // Go 1.19 size classes (runtime/sizeclasses.go), the element sizes real spans have.
    private static readonly int[] SizeClasses =
    [
        8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416,
        448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200,
        3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192,
    ];

    private static readonly string[] Names =
    [
        "main.main", "runtime.gopark", "main.(*Tree).Insert", "net/http.(*conn).serve", "runtime.goexit",
        "sync.(*Mutex).lockSlow", "main.main.func1", "encoding/json.Unmarshal", "", "é.ü",
    ];

    private static readonly string[] TypeStrings =
    [
        "*main.T", "main.T", "[]int", "*pkg.Box[pkg.A,int]", "map[string]*x.Y", "int", "*main.", "struct {}",
        "*a.B[c.D[e.F]]", "a.b]c", "a[b.c", "*x.y.z", "func(int) error", "*",
    ];

    private static readonly string[] PkgPaths = ["main", "net/http", "github.com/acme/store/v2", "a", "x.y"];

    private sealed class Builder(Rng rng, int size, StateKind kind)
    {
        private const ulong Page = GoRuntime.PageSize;

        private RuntimePlatform _platform = null!;
        private int _ptr;
        private ulong _mask;
        private readonly List<FuncInfo> _functions = [];
        private readonly List<MemProfBucket> _buckets = [];

        /// <summary>How many of a part: 0..max, growing with size, with zero and the maximum both common.</summary>
        private int Count(int max)
        {
            var limit = Math.Max(1, (max * (size + 10)) / 110);
            return rng.Chance(0.15) ? 0 : rng.Next(0, limit + 1);
        }

        public RuntimeState Build()
        {
            _platform = Platform();
            _ptr = _platform.PtrSize;
            _mask = _platform.PointerMask;
            BuildFunctions();
            BuildBuckets();
            var fatal = kind == StateKind.Fatal ? rng.Next(4) : -1;
            var (arenas, spans) = Heap(tooManySlots: fatal == 0);
            var types = Types();
            var itabs = Itabs(types);
            var goroutines = Goroutines();
            if (fatal > 0)
            {
                goroutines = MakeFatal(goroutines, fatal);
            }

            // The parts in the order their draws always came, then the release (drawn last: the rest of each seed's state
            // stays as it was) and what it needs of the heap and the types.
            var waitReasons = rng.Chance(0.8) ? null : Enumerable.Range(0, rng.Next(0, 30)).Select(_ => Str()).ToList();
            var threads = Enumerable.Range(0, Count(4)).Select(i => new OsThread(NonZeroWord() | (uint)(i + 1), Long(), Any64())).DistinctBy(m => m.Address).ToList();
            var data = Segment();
            var bss = Segment();
            var queue = Enumerable.Range(0, Count(3)).Select(_ => new QueuedFinalizer(Word(), FuncVal(), Word(), Word())).ToList();
            var memStats = MemStats();
            ForRelease(spans, types, itabs);
            return new RuntimeState(
                _platform,
                arenas: arenas,
                spans: spans,
                types: types,
                itabs: itabs,
                goroutines: goroutines,
                waitReasonStrings: waitReasons,
                threads: threads,
                data: data,
                bss: bss,
                finalizerQueue: queue,
                memProfBuckets: _buckets,
                functions: _functions,
                memStats: memStats);
        }

        // ------------------------------------------------------------ release

        /// <summary>One release of each era of the dump algorithm (FORMAT.md, "Go releases"), each drawn often.</summary>
        private static readonly GoRelease[] Releases =
        [
            new(1, 5, 4), new(1, 6, 4), new(1, 7, 6), new(1, 15, 15), new(1, 16, 15), new(1, 17, 13), new(1, 18, 10),
            new(1, 19, 8), new(1, 20, 14), new(1, 21, 13), new(1, 22, 12), new(1, 24, 4), new(1, 26, 10), new(1, 27, 3),
        ];

        private static readonly string[] TheCharArchitectures = ["386", "amd64", "arm", "arm64", "ppc64", "ppc64le", "mips64", "mips64le"];

        /// <summary>
        /// Draws the release and makes the state one its runtime can dump: go1.5/1.6 only on architectures with a thechar,
        /// some of their indirect types with a *T; from 1.22 every allocated object of a small scan span over
        /// PtrSize·8·PtrSize bytes starting with a malloc header that points at a type with pointers, every large scan
        /// object with its span's type, and spans without pointer bits sometimes noscan.
        /// </summary>
        private void ForRelease(List<HeapSpan> spans, List<RuntimeType> types, List<Itab> itabs)
        {
            var release = rng.Pick(Releases);
            if (!release.IsAtLeast(1, 7) && !TheCharArchitectures.Contains(_platform.Goarch.ToString()))
            {
                release = new GoRelease(1, 7, 6);
            }

            _platform = _platform with { Release = release };
            if (!release.IsAtLeast(1, 7))
            {
                for (var i = 0; i < types.Count; i++)
                {
                    if (!types[i].DirectIface && rng.Chance(0.7))
                    {
                        var ptrTo = rng.Chance(0.5) && types.Count > 0 ? rng.Pick(types) : NewType(types, PointerSized());
                        var old = types[i];
                        types[i] = old with { PtrTo = ptrTo };
                        for (var k = 0; k < itabs.Count; k++)
                        {
                            if (ReferenceEquals(itabs[k].Type, old))
                            {
                                itabs[k] = itabs[k] with { Type = types[i] };
                            }
                        }
                    }
                }
            }

            if (!release.IsAtLeast(1, 22))
            {
                return;
            }

            var minHeader = (ulong)(_ptr * _ptr * 8);
            for (var i = 0; i < spans.Count; i++)
            {
                var span = spans[i];
                if (span.State != SpanState.InUse || span.ElemSize == 0)
                {
                    continue;
                }

                var pointers = span.Bits.Pointer.Words.ContainsAnyExcept(0UL);
                if (!pointers && rng.Chance(0.5))
                {
                    spans[i] = span with { NoScan = true };
                }
                else if (span.ElemSize > 32768)
                {
                    spans[i] = span with { LargeType = NewType(types, Layout(span.ElemSize)) };
                }
                else if (span.ElemSize > minHeader)
                {
                    var memory = span.Memory.ToArray();
                    for (var j = 0; (ulong)j < span.SlotCount; j++)
                    {
                        if (j >= span.ElemCount || !span.FreeSlots[j])
                        {
                            var t = rng.Chance(0.3) && types.Count > 0 && types[^1].GCMask.Length > 0 && types[^1].Size <= span.ElemSize - 8
                                ? types[^1]
                                : NewType(types, Layout(span.ElemSize - 8));
                            WriteWord(memory.AsSpan(checked((int)((ulong)j * span.ElemSize)), _ptr), t.Address);
                        }
                    }

                    spans[i] = span with { Memory = [.. memory] };
                }
            }
        }

        private RuntimeType PointerSized() => new() { Address = 1, Str = "*main.T", Size = (ulong)_ptr, PtrData = (ulong)_ptr, DirectIface = true };

        /// <summary>A type with pointers that fits <paramref name="room"/> bytes: a size of 1 to 40 words (some not dividing the room) and a mask ending in a pointer.</summary>
        private RuntimeType Layout(ulong room)
        {
            var maxWords = (int)Math.Min(40, room / (ulong)_ptr);
            var words = rng.Next(1, maxWords + 1);
            var ptrWords = rng.Next(1, words + 1);
            var mask = new BitVector.Builder(ptrWords);
            mask[ptrWords - 1] = true;
            for (var w = 0; w < ptrWords - 1; w++)
            {
                mask[w] = rng.Chance(0.5);
            }

            return new RuntimeType
            {
                Address = 1, Str = Str(TypeStrings), Size = (ulong)(words * _ptr), PtrData = (ulong)(ptrWords * _ptr),
                GCMask = mask.ToBitVector(), DirectIface = rng.Chance(0.3),
            };
        }

        /// <summary>Adds <paramref name="template"/> to the types at a fresh address.</summary>
        private RuntimeType NewType(List<RuntimeType> types, RuntimeType template)
        {
            ulong address;
            do
            {
                address = NonZeroWord() & ~7UL;
            }
            while (address == 0 || types.Any(t => t.Address == address));

            var type = template with { Address = address, Hash = (uint)rng.NextUInt64() };
            types.Add(type);
            return type;
        }

        private void WriteWord(Span<byte> destination, ulong value)
        {
            for (var b = 0; b < _ptr; b++)
            {
                var shift = 8 * (_platform.BigEndian ? _ptr - 1 - b : b);
                destination[b] = (byte)(value >> shift);
            }
        }

        // ------------------------------------------------------------ values

        /// <summary>A pointer-sized value: small, heap-like, near the top of the address space (10-byte uvarints on 64-bit), or an extreme.</summary>
        private ulong Word() => rng.Next(10) switch
        {
            < 3 => rng.UpTo(0xffff),
            < 5 => _ptr == 8 ? 0xc000000000UL + (rng.UpTo(0xfffff) * 8) : 0x0a000000UL + (rng.UpTo(0xfffff) * 4),
            < 8 => _mask - rng.UpTo(_ptr == 8 ? 1UL << 62 : 1UL << 30),
            < 9 => rng.UpTo(_mask),
            _ => rng.Pick([0UL, 1UL, _mask, _mask >> 1, (_mask >> 1) + 1]),
        };

        private ulong NonZeroWord() => Word() is var w && w != 0 ? w : 1;

        private ulong Any64() => rng.Chance(0.2) ? ulong.MaxValue - rng.UpTo(3) : rng.Chance(0.5) ? rng.UpTo(100_000) : rng.NextUInt64();

        private long Long() => rng.Next(8) switch
        {
            0 => -1 - (long)rng.UpTo(1000),
            1 => long.MaxValue - (long)rng.UpTo(3),
            2 => long.MinValue,
            _ => (long)rng.UpTo(1_000_000),
        };

        /// <summary>A string: usually a short name; sometimes empty, not UTF-8, or larger than the write buffer.</summary>
        private GoString Str(IReadOnlyList<string>? pool = null) => rng.Next(50) switch
        {
            < 4 => GoString.Empty,
            < 6 => new GoString(rng.Bytes(rng.Next(1, 12))),
            6 => new GoString(rng.Bytes(rng.Next(4090, 9000))),
            7 => GoString.FromText(new string('x', rng.Next(4090, 4100))),
            _ => rng.Pick(pool ?? Names),
        };

        private FuncVal FuncVal() => new(NonZeroWord(), Word());

        // ------------------------------------------------------------ platform

        private RuntimePlatform Platform()
        {
            var arch = rng.Pick(GoArchitecture.All.ToList());
            return new RuntimePlatform
            {
                PtrSize = arch.PtrSize,
                BigEndian = arch.BigEndian,
                Goarch = rng.Chance(0.85) ? arch.Name : Str(),
                VersionInfo = rng.Chance(0.7) ? "go1.19.8" : Str(["", "devel go1.20-abc X:boringcrypto", "go1.17"]),
                Ncpu = rng.Next(6) switch { 0 => 0, 1 => -1 - rng.Next(100), 2 => int.MaxValue, _ => rng.Next(1, 129) },
                Arenas = arch.Arenas,
            };
        }

        // ------------------------------------------------------------ symbol table

        private void BuildFunctions()
        {
            var n = Count(8);
            var entry = rng.Chance(0.2) ? _mask - (ulong)(n * 0x800) - 0x1000 : 0x401000UL + rng.UpTo(0x10000);
            for (var i = 0; i < n; i++)
            {
                var length = (ulong)rng.Next(1, 0x200);
                _functions.Add(Function(entry, entry + length));
                entry += length + (rng.Chance(0.5) ? 0 : (ulong)rng.Next(1, 0x100)); // gaps resolve to no function
            }
        }

        private FuncInfo Function(ulong entry, ulong end)
        {
            StackMap? args = rng.Chance(0.3) ? null : Maps(rng.Next(1, 4), rng.Next(0, 7));
            StackMap? locals = rng.Next(5) switch
            {
                0 => null, // no locals information: every word is a pointer
                1 => new StackMap { Count = 0 },
                2 => StackMap.LocalsSize(_ptr * rng.Next(1, 6)),
                _ => Maps(rng.Next(1, 4), rng.Next(0, 9)),
            };
            var limit = Math.Min(locals is { Count: > 0 } ? locals.Count : int.MaxValue, args?.Count ?? int.MaxValue);
            limit = limit == int.MaxValue ? 5 : limit;
            return new FuncInfo
            {
                Entry = entry,
                End = end,
                Name = Str(),
                ArgsPointerMaps = args,
                LocalsPointerMaps = locals,
                StackMapIndex = rng.Chance(0.25) ? null : Table(entry, end, () => rng.Next(-1, limit)),
                Lines = rng.Chance(0.2) ? null : Table(entry, end, () => new SourceLine(
                    rng.Chance(0.1) ? (GoString?)null : Str(["/src/main.go", "?", "", "runtime/proc.go"]),
                    rng.Next(10) switch { 0 => -1, 1 => -rng.Next(2, 100), 2 => int.MaxValue, _ => rng.Next(1, 5000) })),
            };
        }

        private StackMap Maps(int count, int bits) => StackMap.Of(Enumerable.Range(0, count).Select(_ => Bits(bits, rng.Next(3) * 0.5)).ToArray());

        private BitVector Bits(int length, double p)
        {
            var b = new BitVector.Builder(length);
            for (var i = 0; i < length; i++)
            {
                b[i] = rng.Chance(p);
            }

            return b.ToBitVector();
        }

        private PcTable<T> Table<T>(ulong entry, ulong end, Func<T> value)
        {
            var ends = new SortedSet<ulong> { end };
            for (var i = rng.Next(0, 4); i > 0 && end - entry > 1; i--)
            {
                ends.Add(entry + 1 + rng.UpTo(end - entry - 2));
            }

            return new PcTable<T>([.. ends.Select(e => new PcRun<T>(e, value()))]);
        }

        private void BuildBuckets()
        {
            for (var i = Count(4); i > 0; i--)
            {
                var stack = Enumerable.Range(0, rng.Next(0, 7)).Select(_ => MemProfPc()).ToImmutableArray();
                var address = NonZeroWord();
                if (_buckets.All(b => b.Address != address))
                {
                    _buckets.Add(new MemProfBucket(address, Word(), stack, Word(), Word()));
                }
            }
        }

        /// <summary>A stack PC: inside a function (its entry, its last byte, anywhere), or in no function (0, a gap, anywhere).</summary>
        private ulong MemProfPc()
        {
            if (_functions.Count > 0 && rng.Chance(0.7))
            {
                var f = rng.Pick(_functions);
                return rng.Next(3) switch { 0 => f.Entry, 1 => f.End - 1, _ => f.Entry + rng.UpTo(f.End - f.Entry - 1) };
            }

            return rng.Chance(0.3) ? 0 : Word();
        }

        // ------------------------------------------------------------ heap

        private (List<ulong> Arenas, List<HeapSpan> Spans) Heap(bool tooManySlots)
        {
            var g = _platform.Arenas;
            var arenas = new SortedSet<ulong>();
            var count = tooManySlots ? Math.Max(1, Count(3)) : Count(3);
            for (var i = 0; i < count; i++)
            {
                var index = rng.Next(5) switch
                {
                    0 => g.IndexCount - 1 - rng.UpTo(1), // the top of the address space
                    1 => rng.UpTo(1), // base offset (address 0 outside amd64)
                    2 => rng.UpTo(g.IndexCount - 1),
                    _ => ((_ptr == 8 ? 0xc000000000UL : 0x0a000000UL) - g.BaseOffset) / g.HeapArenaBytes % g.IndexCount,
                };
                arenas.Add(index);
            }

            var spans = new List<HeapSpan>();
            var maxSpans = 1 + Count(6);
            var arenaPages = g.HeapArenaBytes / Page;
            foreach (var arena in arenas)
            {
                var arenaBase = (arena * g.HeapArenaBytes) + g.BaseOffset & _mask;
                var cursor = rng.Chance(0.3) ? arenaPages - rng.UpTo(Math.Min(arenaPages - 1, 12)) - 1 : rng.UpTo(Math.Min(arenaPages - 1, 64));
                var first = true;
                while (spans.Count < maxSpans && rng.Chance(0.8))
                {
                    var span = tooManySlots && spans.Count == 0 && first ? TooManySlots(arenaBase + (cursor * Page)) : Span(arenaBase + (cursor * Page));
                    first = false;
                    if (cursor + span.Pages > arenaPages)
                    {
                        break;
                    }

                    spans.Add(span);
                    cursor += span.Pages + (rng.Chance(0.6) ? 0 : rng.UpTo(3));
                }

                if (tooManySlots && spans.Count == 0)
                {
                    spans.Add(TooManySlots(arenaBase));
                }
            }

            // allspans is in creation order, not address order.
            if (rng.Chance(0.3) && spans.Count > 1)
            {
                var a = rng.Next(spans.Count);
                var b = rng.Next(spans.Count);
                (spans[a], spans[b]) = (spans[b], spans[a]);
            }

            return ([.. arenas], spans);
        }

        private HeapSpan Span(ulong baseAddress)
        {
            var roll = rng.Next(10);
            if (roll < 2)
            {
                var pages = (ulong)rng.Next(1, 5);
                if (roll == 0)
                {
                    return WithSpecials(new HeapSpan { Base = baseAddress, Pages = pages, State = SpanState.Dead });
                }

                // A manual span (goroutine stacks) keeps an element size and bytes, as the runtime's stack spans do:
                // the dump must skip them by state, not because they look empty. (No extra random draws, so the
                // states other seeds generate do not change.)
                return WithSpecials(new HeapSpan
                {
                    Base = baseAddress,
                    Pages = pages,
                    State = SpanState.Manual,
                    ElemSize = Page,
                    ElemCount = (int)pages,
                    Memory = [.. new byte[pages * Page]],
                });
            }

            if (roll < 4)
            {
                // A large object: one slot of the whole span, larger than the write buffer; over 32 KiB (5, 6 pages) a
                // large object proper, whose type the 1.22+ dump reads from its span.
                var pages = (ulong)rng.Next(1, 7);
                return InUse(baseAddress, pages, pages * Page);
            }

            var elem = rng.Chance(0.8) ? (ulong)rng.Pick(SizeClasses) : (ulong)(_ptr * rng.Next(2, 300));
            var spanPages = elem > Page || rng.Chance(0.1) ? (ulong)rng.Next(1, 4) : 1;
            spanPages = Math.Max(spanPages, (elem + Page - 1) / Page);
            while (spanPages > 1 && spanPages * Page / elem > GoRuntime.FreeMarkEntries)
            {
                spanPages--; // a valid state keeps every span within the free-mark array (1024 slots)
            }

            return InUse(baseAddress, spanPages, elem);
        }

        /// <summary>An in-use span whose slot count exceeds the runtime's free-mark array (1024): the dump throws.</summary>
        private HeapSpan TooManySlots(ulong baseAddress) => InUse(baseAddress, _ptr == 4 ? 1UL : 2UL, (ulong)_ptr);

        private HeapSpan InUse(ulong baseAddress, ulong pages, ulong elem)
        {
            var slots = (int)(pages * Page / elem);
            var bytes = slots * (int)elem;
            var words = bytes / _ptr;
            var wordsPerSlot = (int)elem / _ptr;
            var elemCount = rng.Chance(0.8) ? slots : rng.Next(0, slots + 1);
            var freeP = rng.Next(4) switch { 0 => 0.0, 1 => 1.0, _ => rng.Next(1, 90) / 100.0 };
            var pointer = new BitVector.Builder(words);
            var scan = new BitVector.Builder(words);
            var spanMode = rng.Next(5);
            for (var j = 0; j < slots; j++)
            {
                var mode = spanMode == 4 ? rng.Next(4) : spanMode;
                var first = j * wordsPerSlot;
                var prefix = mode switch { 0 => 0, 1 => wordsPerSlot, _ => rng.Next(0, wordsPerSlot + 1) };
                for (var w = 0; w < wordsPerSlot; w++)
                {
                    // mode 3: garbage bits after the end-of-pointers word (the dump must stop there).
                    var s = w < prefix || (mode == 3 && w > prefix && rng.Chance(0.5));
                    scan[first + w] = s;
                    pointer[first + w] = s && (mode == 1 || rng.Chance(0.5));
                }
            }

            return WithSpecials(new HeapSpan
            {
                Base = baseAddress,
                Pages = pages,
                State = SpanState.InUse,
                ElemSize = elem,
                ElemCount = elemCount,
                FreeSlots = Bits(elemCount, freeP),
                Memory = [.. rng.Chance(0.3) ? new byte[bytes] : rng.Bytes(bytes)],
                Bits = new HeapBitmap(pointer.ToBitVector(), scan.ToBitVector()),
            });
        }

        private HeapSpan WithSpecials(HeapSpan span)
        {
            if (!rng.Chance(0.35))
            {
                return span;
            }

            var limit = Math.Min(span.ByteCount, 1UL << 16);
            var specials = new List<SpanSpecial>();
            for (var i = rng.Next(1, 4); i > 0; i--)
            {
                var offset = (ushort)(span.ElemSize > 0 && rng.Chance(0.7) ? rng.UpTo((limit - 1) / span.ElemSize) * span.ElemSize : rng.UpTo(limit - 1));
                if (rng.Chance(0.6) || _buckets.Count == 0)
                {
                    specials.Add(new FinalizerSpecial(offset, FuncVal(), Word(), Word()));
                }
                else
                {
                    specials.Add(new ProfileSpecial(offset, rng.Pick(_buckets).Address));
                }
            }

            return span with
            {
                Specials = [.. specials.OrderBy(s => s.Offset).ThenBy(s => s.Kind).DistinctBy(s => (s.Offset, s.Kind))],
            };
        }

        // ------------------------------------------------------------ types and itabs

        private List<RuntimeType> Types()
        {
            var types = new List<RuntimeType>();
            var hot = (uint)rng.Next(256);
            for (var i = Count(12); i > 0; i--)
            {
                var str = Str(TypeStrings);
                var size = Word();
                var type = new RuntimeType
                {
                    Address = NonZeroWord(),
                    // Most types share one or two buckets, so buckets overflow (eviction, repeated type records).
                    Hash = (uint)rng.NextUInt64() & ~0xffu | (rng.Chance(0.7) ? hot : rng.Chance(0.5) ? hot ^ 1 : (uint)rng.Next(256)),
                    Str = str,
                    ExtraStar = str.Length > 0 && rng.Chance(0.4),
                    Named = rng.Chance(0.6),
                    PkgPath = rng.Next(4) switch { 0 => (GoString?)null, 1 => GoString.Empty, _ => Str(PkgPaths) },
                    DirectIface = rng.Chance(0.4),
                    Size = size,
                    PtrData = rng.Chance(0.5) ? 0 : rng.UpTo(size),
                };
                if (types.All(t => t.Address != type.Address))
                {
                    types.Add(type);
                }
            }

            return types;
        }

        private List<Itab> Itabs(List<RuntimeType> types)
        {
            var itabs = new List<Itab>();
            var n = types.Count == 0 ? Count(2) : Count(30);
            for (var i = 0; i < n; i++)
            {
                var address = NonZeroWord();
                if (itabs.Any(t => t.Address == address))
                {
                    continue;
                }

                itabs.Add(new Itab(address, types.Count == 0 || rng.Chance(0.05) ? null : rng.Pick(types)));
            }

            return itabs;
        }

        // ------------------------------------------------------------ goroutines

        private List<Goroutine> Goroutines()
        {
            var result = new List<Goroutine>();
            for (var i = Count(5); i > 0; i--)
            {
                var g = Goroutine();
                if (result.All(x => x.Address != g.Address))
                {
                    result.Add(g);
                }
            }

            return result;
        }

        private Goroutine Goroutine()
        {
            var status = rng.Next(10) switch
            {
                < 3 => GoroutineStatus.Waiting,
                < 5 => GoroutineStatus.Runnable,
                < 7 => GoroutineStatus.Syscall,
                _ => GoroutineStatus.Dead,
            };
            var frames = Frames(out var tracebackSp);
            var useSyscall = status == GoroutineStatus.Syscall || rng.Chance(0.1);
            var g = new Goroutine
            {
                Address = NonZeroWord(),
                Status = status,
                Goid = Long(),
                Gopc = Word(),
                IsSystem = rng.Chance(0.3),
                WaitSince = Long(),
                WaitReason = (byte)(rng.Chance(0.8) ? rng.Next(0, 27) : rng.Next(27, 256)),
                SchedSp = useSyscall && tracebackSp != 0 ? Word() : tracebackSp,
                SchedPc = Word(),
                SchedLr = rng.Chance(0.5) ? 0 : Word(),
                SchedCtxt = Word(),
                SyscallSp = useSyscall ? tracebackSp : 0,
                SyscallPc = useSyscall ? Word() : 0,
                M = rng.Chance(0.5) ? 0 : Word(),
                Frames = [.. frames],
                Defers = [.. Chain(Count(3), a => new Defer(a, Word(), Word(), rng.Chance(0.4) ? null : FuncVal()))],
                Panics = [.. Chain(Count(3), a => new Panic(a, Word(), Word()))],
            };
            if (frames.Count == 0 || FirstFrameSp(_platform, g) == g.TracebackSp)
            {
                return g;
            }

            // Go: traceback.go: with pc 0 (a nil call) on x86 and wasm the traceback pops the return address, so
            // frame 0 starts one word above the goroutine's sp; without room below frame 0, give it a pc instead.
            var sp = g.TracebackSp - (ulong)_ptr;
            return (g.TracebackSp <= (ulong)_ptr, g.SyscallSp != 0) switch
            {
                (true, true) => g with { SyscallPc = 1 },
                (true, false) => g with { SchedPc = 1 },
                (false, true) => g with { SyscallSp = sp },
                (false, false) => g with { SchedSp = sp },
            };
        }

        private IEnumerable<T> Chain<T>(int n, Func<ulong, T> make)
        {
            var seen = new HashSet<ulong>();
            for (var i = 0; i < n; i++)
            {
                var a = NonZeroWord();
                if (seen.Add(a))
                {
                    yield return make(a);
                }
            }
        }

        /// <summary>
        /// Frames as the traceback sees them, innermost first: each above the one below (a caller's sp at or
        /// above its callee's fp), sp ≤ varp ≤ fp ≤ argp, the locals maps inside [sp, varp), and each callee's
        /// described arguments inside its caller's frame at argp − fp. <paramref name="tracebackSp"/> is where
        /// the traceback starts (the goroutine's sp), at or below the innermost frame.
        /// </summary>
        private List<StackFrame> Frames(out ulong tracebackSp)
        {
            var n = _functions.Count == 0 ? 0 : Count(6);
            var ptr = (ulong)_ptr;
            var plan = new List<(FuncInfo Fn, ulong Gap, ulong Size, ulong Reserved, ulong ArgOff, ulong ArgLen)>();
            var outNeed = 0UL;
            for (var k = 0; k < n; k++)
            {
                var fn = rng.Pick(_functions);
                var localsNeed = fn.LocalsPointerMaps switch
                {
                    { Count: > 0 } m => (ulong)m.BitCount * ptr,
                    { Count: < 0 } m => (ulong)-(long)m.Count,
                    _ => 0UL,
                };
                var reserved = (ulong)rng.Next(0, 3) * ptr;
                var size = Math.Max(outNeed, localsNeed + reserved) + (rng.Chance(0.5) ? 0 : (ulong)rng.Next(1, 5) * ptr);
                var argOff = (ulong)rng.Next(0, 3) * ptr;
                var argLen = fn.ArgsPointerMaps is { } a && rng.Chance(0.7) ? (ulong)a.BitCount * ptr : (ulong)rng.Next(0, 5) * ptr + (rng.Chance(0.1) ? 1UL : 0);
                var described = Math.Max(argLen, fn.ArgsPointerMaps is { } am ? (ulong)am.BitCount * ptr : argLen);
                plan.Add((fn, k == 0 || rng.Chance(0.8) ? 0 : (ulong)rng.Next(1, 4) * ptr, size, reserved, argOff, argLen)); // the innermost frame starts at the goroutine's sp
                outNeed = argOff + described;
            }

            var total = plan.Aggregate(0UL, (s, f) => s + f.Gap + f.Size) + outNeed + 64;
            var start = rng.Next(3) switch
            {
                0 => (_mask - total - rng.UpTo(0x1000)) & ~(ptr - 1), // the top of the address space
                1 => rng.UpTo(0x1000) * ptr,
                _ => (_ptr == 8 ? 0xc000100000UL : 0x0a100000UL) + (rng.UpTo(0x10000) * ptr),
            };
            tracebackSp = n == 0 ? Word() : start;
            var frames = new List<StackFrame>(n);
            var sp = start;
            foreach (var (fn, gap, size, reserved, argOff, argLen) in plan)
            {
                sp += gap;
                var fp = sp + size;
                var pc = rng.Chance(0.15) ? fn.Entry : fn.Entry + rng.UpTo(fn.End - fn.Entry - 1);
                frames.Add(new StackFrame
                {
                    Function = fn,
                    Pc = pc,
                    ContinuationPc = rng.Next(4) switch { 0 => 0, 1 => Word(), _ => pc },
                    Sp = sp,
                    Fp = fp,
                    Varp = fp - reserved,
                    Argp = fp + argOff,
                    ArgLen = argLen,
                    Contents = [.. rng.Bytes((int)size)],
                });
                sp = fp;
            }

            return frames;
        }

        /// <summary>Makes one goroutine fatal to dump: a bad status (1), an unresolvable first PC (2) or caller PC (3).</summary>
        private List<Goroutine> MakeFatal(List<Goroutine> goroutines, int how)
        {
            var withFrames = goroutines.FindIndex(g => g.Frames.Length > (how == 3 ? 1 : 0) && g.Status != GoroutineStatus.Dead);
            if (how > 1 && withFrames >= 0)
            {
                var g = goroutines[withFrames];
                var k = how == 2 ? 0 : rng.Next(1, g.Frames.Length);
                goroutines[withFrames] = g with { Frames = g.Frames.SetItem(k, g.Frames[k] with { Function = null }) };
                return goroutines;
            }

            uint[] bad = [0, 2, 2, 5, 7, 8, 9, 11, 0x1001, 0x1004, 0x1002, uint.MaxValue]; // 11: fatal before Go 1.26, skipped from it
            var bogus = Goroutine() with { Status = rng.Chance(0.8) ? rng.Pick(bad) : (uint)rng.NextUInt64() is var s && s is not (1 or 3 or 4 or 6) ? s : 0 };
            if (bogus.Status == GoroutineStatus.Running && bogus.SyscallSp == 0 && bogus.SchedSp != 0 && rng.Chance(0.5))
            {
                // Caught in a system call: Go 1.26 dumps it before dying of its status. The traceback starts where it did.
                bogus = bogus with { SyscallSp = bogus.SchedSp, SyscallPc = bogus.SchedPc };
            }

            while (goroutines.Any(x => x.Address == bogus.Address))
            {
                bogus = bogus with { Address = NonZeroWord() };
            }

            goroutines.Insert(rng.Next(goroutines.Count + 1), bogus);
            return goroutines;
        }

        // ------------------------------------------------------------ roots, memstats

        private ModuleSegment Segment()
        {
            var length = rng.Next(10) switch { < 3 => 0, < 9 => rng.Next(1, 300), _ => rng.Next(4090, 9000) };
            var address = Word();
            if ((ulong)length > _mask - address + 1)
            {
                address = _mask - (ulong)length + 1;
            }

            return new ModuleSegment(address, [.. rng.Bytes(length)], Bits(length / _ptr, rng.Next(3) * 0.5));
        }

        private MemStats MemStats()
        {
            ulong V() => rng.Next(6) switch { 0 => 0, 1 => ulong.MaxValue - rng.UpTo(2), 2 => rng.NextUInt64(), _ => rng.UpTo(1 << 24) };
            return new MemStats
            {
                Alloc = V(), TotalAlloc = V(), Sys = V(), Lookups = V(), Mallocs = V(), Frees = V(),
                HeapAlloc = V(), HeapSys = V(), HeapIdle = V(), HeapInuse = V(), HeapReleased = V(), HeapObjects = V(),
                StackInuse = V(), StackSys = V(), MSpanInuse = V(), MSpanSys = V(), MCacheInuse = V(), MCacheSys = V(),
                BuckHashSys = V(), GCSys = V(), OtherSys = V(), NextGC = V(), LastGC = V(), PauseTotalNs = V(),
                PauseNs = [.. Enumerable.Range(0, 256).Select(_ => V())],
                NumGC = (uint)V(),
            };
        }
    }
}
