using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

public static partial class StateBuilder
{
    /// <summary>The state generator: the heap: spans of size classes, large objects, stacks, specials, object contents.</summary>
    private sealed partial class Generator
    {
        private List<Shape> Shapes()
        {
            var w = _ptr;
            var bucketScalars = new string('s', (8 / w) + 8); // tophash [8]uint8, keys [8]int
            List<Shape> realistic = !_realistic ? [] : MallocHeaders
                // Go 1.22+: over PtrSize·8·PtrSize bytes an object with pointers starts with its type ('h': the malloc header).
                ? [new("[]*Node backing, 100 elements", new string('h', 8 / w) + new string('p', 100), 8 + (100 * w), 2)]
                : [new("[]*Node backing, 100 elements", new string('p', 100), 100 * w, 2)];
            return
            [
                .. realistic,
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
            // A realistic state has the runtime's goroutines (five, one GC worker per CPU) and a few of the program's.
            var goroutines = Math.Max(Math.Clamp(4 + (_objects / 40000), 6, 64), _realistic ? 9 + _ncpu : 0);
            var stacksEvery = Math.Max(1, _objects / goroutines);
            var nextStack = 0;
            var nextLarge = _objects >= 100 ? _objects / 3 : int.MaxValue;
            var jumped = false;
            if (_realistic && _objects > 0)
            {
                // Every realistic state shows both object layouts the releases differ on: a large pointer array and a span
                // of 100-pointer arrays (malloc-header objects from Go 1.22).
                PlanLargeObject(ref jumped, pointers: true);
                live += 1 + PlanSmallObjectSpan(shapes[0], Math.Max(1, _objects - 1));
            }

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
        private void PlanLargeObject(ref bool jumped, bool? pointers = null)
        {
            if (!jumped && _rng.Chance(0.5))
            {
                // Start a later arena, leaving a gap: the params range is a bounding box.
                _cursor = AlignUp(_cursor, _arch.Arenas.HeapArenaBytes) + _arch.Arenas.HeapArenaBytes;
                jumped = true;
            }

            // (A realistic small state keeps its large object small: the corpus holds one per release.)
            var bytes = _realistic && _objects < 1000 ? (ulong)_rng.Next(33 * 1024, 40 * 1024) : (ulong)_rng.Next(40 * 1024, 200 * 1024);
            var pages = (bytes + PageSize - 1) / PageSize;
            var shape = pointers ?? _rng.Chance(0.5) ? new Shape("[]*Node backing (large)", "p*", (int)(pages * PageSize), 0) : new Shape("[]byte (large)", "", (int)(pages * PageSize), 0);
            var large = NewSpan(pages, SpanState.InUse);
            large.Shape = shape;
            large.ElemSize = pages * PageSize;
            large.Slots = 1;
            large.ElemCount = 1;
            large.DataSize = _realistic ? AlignUp(bytes, (ulong)_ptr) : large.ElemSize;
            large.FreeAt = NoneFree;
            AddObjectSpan(large);
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
            if (_realistic && !_release.IsAtLeast(1, 15) && SizeClasses.Size[sizeClass] == 24)
            {
                sizeClass++; // Go 1.15 added the 24-byte class; before, such objects took 32 bytes
            }

            var elemSize = SizeClasses.Size[sizeClass];
            var spanPages = SizeClasses.Pages[sizeClass];
            var span = NewSpan(spanPages, SpanState.InUse);
            span.Shape = shape;
            span.ElemSize = elemSize;
            span.Slots = (int)(spanPages * PageSize / elemSize);

            // Free slots: half the spans are full, the rest have a few to many free slots. (Packed words, not a BitVector.Builder:
            // this runs for every slot of a dump, on the path before the first byte is written.)
            var free = new ulong[(span.Slots + 63) / 64];
            var freeCount = 0;
            var freeFraction = _rng.Chance(0.5) ? 0 : _rng.Next(1, 40) / 100.0;
            if (freeFraction == 0)
            {
                // A draw a slot (Chance(0) is false whatever it draws); past the wanted object count, the rest of the last
                // span is free (but one slot).
                _rng.Skip((ulong)span.Slots);
                for (var j = Math.Min(wanted, span.Slots); j < span.Slots && freeCount < span.Slots - 1; j++)
                {
                    free[j >> 6] |= 1UL << j;
                    freeCount++;
                }
            }
            else
            {
                // A draw a slot, made from a copy of the state in a register (this runs for half the slots of the heap).
                var state = _rng.State;
                for (var j = 0; j < span.Slots; j++)
                {
                    // Past the wanted object count, the rest of the last span is free.
                    var isFree = SeededRandom.IsChance(SeededRandom.Mix(state += SeededRandom.Step), freeFraction) || j - freeCount >= wanted;
                    if (isFree && freeCount < span.Slots - 1)
                    {
                        free[j >> 6] |= 1UL << j;
                        freeCount++;
                    }
                }

                _rng.MoveTo(state);
            }

            var bits = span.Slots;
            span.ElemCount = span.Slots;
            if (_realistic)
            {
                span.DataSize = (ulong)shape.Size;
                // The allocator hands out only nelems slots; the dump still walks all of them.
                span.ElemCount = ElemCountOf(spanPages * PageSize, elemSize, shape.NoScan);
                bits = span.ElemCount;
                if (bits % 64 != 0)
                {
                    free[bits >> 6] &= (1UL << bits) - 1;
                }

                Array.Clear(free, (bits + 63) / 64, free.Length - ((bits + 63) / 64));
                freeCount = 0;
                foreach (var word in free)
                {
                    freeCount += System.Numerics.BitOperations.PopCount(word);
                }

                if (freeCount == span.ElemCount)
                {
                    free[0] &= ~1UL;
                    freeCount--;
                }
            }

            span.FreeAt = freeCount == 0 ? NoneFree : _free.Append(free, bits);
            AddObjectSpan(span);
            return span.ElemCount - freeCount;
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

        /// <summary>Go 1.22+: objects with pointers over PtrSize·8·PtrSize bytes have malloc headers, large objects a span type.</summary>
        private bool MallocHeaders => _realistic && _release.IsAtLeast(1, 22);

        /// <summary>Go: mbitmap.go heapBitsInSpan: objects up to PtrSize·8·PtrSize bytes keep heap bits in their span (1.22+).</summary>
        private bool HeapBitsInSpan(ulong elemSize) => elemSize <= (ulong)(_ptr * _ptr * 8);

        /// <summary>
        /// Go: mheap.go initSpan: nelems. From 1.22 a scan span of small objects keeps its heap bits (one bit per word) in its
        /// tail; from 1.26 (GreenTeaGC) a span of 16 to PtrSize·8·PtrSize-byte objects also keeps 128 bytes of inline mark bits.
        /// </summary>
        private int ElemCountOf(ulong bytes, ulong elemSize, bool noScan)
        {
            var reserve = HeapBitsReserve(bytes, elemSize, noScan) + MarkBitsReserve(elemSize);
            return (int)((bytes - reserve) / elemSize);
        }

        private ulong HeapBitsReserve(ulong bytes, ulong elemSize, bool noScan) =>
            MallocHeaders && !noScan && HeapBitsInSpan(elemSize) ? bytes / (ulong)_ptr / 8 : 0;

        /// <summary>Go 1.26 mgcmark_greenteagc.go: unsafe.Sizeof(spanInlineMarkBits{}) = 128 for 16 ≤ elemsize ≤ PtrSize·8·PtrSize.</summary>
        private ulong MarkBitsReserve(ulong elemSize) =>
            _realistic && _release.IsAtLeast(1, 26) && HeapBitsInSpan(elemSize) && elemSize >= 16 ? 128UL : 0;

        private static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) / alignment * alignment;

        private PlannedSpan NewSpan(ulong pages, SpanState state)
        {
            var span = new PlannedSpan { Base = _cursor, Pages = pages, State = state };
            _cursor += pages * PageSize;
            _spans.Add(span);
            return span;
        }

        /// <summary>A span of objects that pointers may name: planned, and entered among the targets.</summary>
        private void AddObjectSpan(PlannedSpan span)
        {
            if (span.ElemCount is <= 0 or > KeyCountMask)
            {
                throw new InvalidOperationException($"a span of {span.ElemCount} slots cannot be a pointer target (1 to {KeyCountMask})");
            }

            _objectSpans.Add(span);
            var target = Target.Of(span.Base, span.ElemSize);
            if (target.Base != span.Base || (target.ElemSize != span.ElemSize && span.ElemCount > 1))
            {
                throw new InvalidOperationException($"a span at {span.Base:x} of {span.ElemSize}-byte slots cannot be a pointer target");
            }

            _targets.Add(target);
            _targetKeys.Add(((ulong)(span.FreeAt == NoneFree ? _noneFree : span.FreeAt) << 16) | (uint)span.ElemCount);
        }

        /// <summary><see cref="_targetKeys"/>: the slot count in the low 15 bits (a span has at most 1024 slots).</summary>
        private const int KeyCountMask = 0x7fff;

        /// <summary>
        /// <see cref="PlannedSpan.FreeAt"/> of a span with no free slot among its nelems (half the spans): its bits are not kept,
        /// so that the free bits the pointer draws read at random stay half as large (and within L2 for 10M objects).
        /// </summary>
        private const long NoneFree = -1;

        /// <summary>
        /// Pool index of <see cref="KeyCountMask"/> + 1 clear bits, the free bits <see cref="_targetKeys"/> names for every
        /// span with no free slot: the live-slot draw reads a bit whatever the span (in L1 for these), rather than first
        /// testing whether the span is full, a branch that went either way at random (half the spans are full).
        /// </summary>
        private readonly long _noneFree;

        private (PlannedSpan Span, int Slot) RandomLiveObject()
        {
            var (index, slot) = RandomLiveTarget();
            return (_objectSpans[index], slot);
        }

        /// <summary>
        /// A live slot of a random span, as the index of the span among <see cref="_objectSpans"/>. Specials and queued
        /// finalizers must name live objects (Go: they keep them alive), so after a few random misses — a nearly empty span —
        /// take the next allocated slot after the last guess; every object span has at least one.
        /// </summary>
        /// <remarks>Every pointer a dump holds is drawn here, by the plan's skip for <c>generate</c> (the fill takes the skip's
        /// log), millions of times at random across the heap, and its time is the memory reads': one 8-byte key a span
        /// (<see cref="_targetKeys"/>: 0.3 MB for 10M objects, within L2), then a free bit (a span with no free slot, half of
        /// them, names the same clear bits).</remarks>
        private (int Index, int Slot) RandomLiveTarget() => RandomLiveTarget(out _);

        /// <inheritdoc cref="RandomLiveTarget()"/>
        /// <param name="attempts">Slots drawn (each a pair of draws), 1 to <see cref="MaxAttempts"/>.</param>
        private (int Index, int Slot) RandomLiveTarget(out int attempts)
        {
            var keys = CollectionsMarshal.AsSpan(_targetKeys);
            for (var attempt = 0; ; attempt++)
            {
                var index = _rng.Next(keys.Length);
                var key = keys[index];
                var count = (int)(key & KeyCountMask);
                var slot = _rng.Next(count);
                var freeAt = (long)(key >> 16);
                attempts = attempt + 1;
                if (!_free[freeAt + slot])
                {
                    return (index, slot);
                }

                if (attempt >= MaxAttempts - 1)
                {
                    for (var k = 1; k <= count; k++)
                    {
                        var next = (slot + k) % count;
                        if (!_free[freeAt + next])
                        {
                            return (index, next);
                        }
                    }
                }
            }
        }

        /// <summary>The live-slot draw's last attempt: after it, the next live slot of the span is taken.</summary>
        private const int MaxAttempts = 21;

        private ulong RandomPointerValue()
        {
            if (_targets.Count == 0 || _rng.Chance(0.12))
            {
                return 0; // nil
            }

            var (index, slot) = RandomLiveTarget();
            return PointerInto(_targets[index], slot);
        }

        /// <summary>Slot <paramref name="slot"/> of <paramref name="span"/>, or sometimes a word into it: the last draw of a pointer.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ulong PointerInto(Target span, int slot)
        {
            var address = span.Base + ((ulong)slot * span.ElemSize);
            if (_rng.Chance(0.05) && (span.ElemSize > (ulong)_ptr || span.ElemSize == 0))
            {
                address += (ulong)_ptr; // interior pointer
            }

            return address;
        }

        /// <summary><see cref="RandomPointerValue"/> from the skip's log entry: the same value, its draws skipped by count.</summary>
        private ulong LoggedPointerValue(uint entry)
        {
            var draws = PointerLog.Draws(entry);
            if (draws == 0)
            {
                return RandomPointerValue(); // not logged: drawn again
            }

            _rng.Skip(draws);
            return entry == PointerLog.Nil ? 0 : PointerInto(_targets[PointerLog.Index(entry)], PointerLog.Slot(entry));
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
                if (offset > ushort.MaxValue || (span.Specials?.Any(s => s.Offset == (ushort)offset && s.Kind == FinalizerSpecial.KindValue) ?? false))
                {
                    continue;
                }

                var fn = Function(_rng.Chance(0.5) ? "main.main.func1" : "main.process");
                (span.Specials ??= []).Add(new FinalizerSpecial((ushort)offset, new FuncVal(_dataBase + (ulong)(_ptr * _rng.Next(64)), fn.Entry), _rng.Pick(_types).Address, _rng.Pick(_types).Address));
            }

            var samples = Math.Clamp(_objects / 2000, 3, 500);
            for (var i = 0; i < samples; i++)
            {
                var (span, slot) = RandomLiveObject();
                var offset = (ulong)slot * span.ElemSize;
                if (offset > ushort.MaxValue || (span.Specials?.Any(s => s.Offset == (ushort)offset && s.Kind == ProfileSpecial.KindValue) ?? false))
                {
                    continue;
                }

                (span.Specials ??= []).Add(new ProfileSpecial((ushort)offset, _rng.Pick(_buckets).Address));
            }

            foreach (var span in _objectSpans)
            {
                span.Specials?.Sort((a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : a.Kind.CompareTo(b.Kind));
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

        /// <summary>
        /// Span <paramref name="index"/> of allspans filled from the draws at <paramref name="fillFrom"/> (a
        /// <see cref="SeededRandom.State"/>), by a copy of the generator with its own draws: walks fill spans concurrently.
        /// </summary>
        public HeapSpan FillSpan(int index, ulong fillFrom, PointerLog log, MemoryPool? memory = null)
        {
            var filler = (Generator)MemberwiseClone();
            filler._rng = new SeededRandom(fillFrom);
            filler._log = log.Of(index);
            filler._memory = memory;
            return filler.FillSpan(_spans[index]);
        }

        /// <summary>The in-use spans' specials in allspans order: <see cref="AllSpans.Specials"/> of the plan.</summary>
        public IEnumerable<(ulong SpanBase, SpanSpecial Special)> PlannedSpecials()
        {
            foreach (var planned in _spans)
            {
                if (planned is { State: SpanState.InUse, Specials: { } specials })
                {
                    foreach (var special in specials)
                    {
                        yield return (planned.Base, special);
                    }
                }
            }
        }

        /// <summary>The span without its memory and bitmaps: what memstats and the arenas are derived from.</summary>
        private HeapSpan Header(PlannedSpan planned) => planned.State != SpanState.InUse
            ? new HeapSpan { Base = planned.Base, Pages = planned.Pages, State = planned.State }
            : new HeapSpan
            {
                Base = planned.Base,
                Pages = planned.Pages,
                State = SpanState.InUse,
                ElemSize = planned.ElemSize,
                ElemCount = planned.ElemCount,
                FreeSlots = planned.FreeAt == NoneFree ? BitVector.Zeros(planned.ElemCount) : _free.Slice(planned.FreeAt, planned.ElemCount),
                NoScan = _realistic && planned.Shape!.NoScan,
                LargeType = MallocHeaders && !planned.Shape!.NoScan && planned.ElemSize > SizeClasses.MaxSmallSize ? _nodePointer : null,
                Specials = planned.Specials is { } specials ? [.. specials] : [],
            };

        /// <summary>The span with its contents: every slot filled (allocated or free), the heap bitmap, a realistic span's tail.</summary>
        private HeapSpan FillSpan(PlannedSpan planned)
        {
            var header = Header(planned);
            if (planned.State != SpanState.InUse)
            {
                return header;
            }

            var shape = planned.Shape!;
            var size = (int)planned.ElemSize;
            var words = size / _ptr;
            var memory = _memory?.Rent(planned.Slots * size) ?? new byte[planned.Slots * size];
            var bitCount = planned.Slots * words;
            var pointer = new ulong[(bitCount + 63) / 64];
            var scan = new ulong[(bitCount + 63) / 64];
            var pattern = ExpandPattern(shape, words);
            var singlePointer = !shape.NoScan && size == _ptr; // Go: initHeapBits: one-pointer spans are all pointer/scan
            var dataWords = (int)(Math.Min(planned.DataSize == 0 ? planned.ElemSize : planned.DataSize, planned.ElemSize) / (ulong)_ptr);

            // The words of a slot with a scan bit, and which of them are pointers: the same for every slot.
            var scanWords = new List<(int Word, bool Pointer)>();
            for (var w = 0; w < Math.Min(words, dataWords) && !shape.NoScan; w++)
            {
                var c = singlePointer ? 'p' : pattern[w];
                if (c != '.')
                {
                    scanWords.Add((w, c == 'p'));
                }
            }

            for (var j = 0; j < planned.Slots; j++)
            {
                var slot = memory.AsSpan(j * size, size);
                FillObject(slot, shape, pattern);
                if (_realistic)
                {
                    // Past what was asked for, a fresh allocation is zeroed memory (and before 1.22 its bitmap is dead).
                    slot[(dataWords * _ptr)..].Clear();
                }

                // Go: the bitmap of a noscan span is cleared: every word dead (scanWords is empty).
                foreach (var (w, isPointer) in scanWords)
                {
                    var bit = (j * words) + w;
                    scan[bit >> 6] |= 1UL << bit;
                    if (isPointer)
                    {
                        pointer[bit >> 6] |= 1UL << bit;
                    }
                }
            }

            if (_realistic && planned.ElemCount < planned.Slots)
            {
                FillSpanTail(planned, memory, pointer, scan, singlePointer);
            }

            return header with
            {
                Memory = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(memory),
                Bits = new HeapBitmap(BitVector.FromWords(bitCount, pointer), BitVector.FromWords(bitCount, scan)),
            };
        }

        /// <summary>
        /// Makes the draws <see cref="FillSpan(PlannedSpan)"/> makes, and no others: the pointer words' draws, counts for the
        /// rest; logs each pointer in <paramref name="log"/> while it has room (<see cref="PointerLog.Add"/>).
        /// </summary>
        private void SkipSpan(int index, PointerLog log)
        {
            var planned = _spans[index];

            if (planned.State != SpanState.InUse)
            {
                return;
            }

            var shape = planned.Shape!;
            var size = (int)planned.ElemSize;
            if (shape.NoScan)
            {
                // FillObject: a draw a byte of text, a draw a word of scalars.
                _rng.Skip((ulong)planned.Slots * (ulong)(shape.Text ? size : size / _ptr));
                return;
            }

            var pattern = ExpandPattern(shape, size / _ptr);
            var (gaps, tail) = PointerGaps(pattern);
            var pointers = planned.Slots * gaps.Length;
            var entries = log.Add(index, pointers);
            if (_targetKeys.Count == 0)
            {
                // Every pointer is nil without a draw (RandomPointerValue): only the scalars' draws.
                _rng.Skip((ulong)planned.Slots * (gaps.Aggregate(tail, (sum, gap) => sum + gap)));
                return;
            }

            // The draws of pointer p start where p - 1's end, after the scalars between them, and depend only on that point;
            // so p + 1's first try (its random reads) is made before p is resolved, from where p ends if it is nil or live
            // at its first try (nine in ten): the reads of two pointers overlap instead of following each other. When p's
            // first try names a free slot, RandomLiveTarget draws p again, and p + 1 is tried from where it ends. (Trying
            // two pointers ahead was slower.)
            var keys = CollectionsMarshal.AsSpan(_targetKeys);
            var at = _rng.State + (gaps[0] * SeededRandom.Step);
            var current = FirstTry(at, keys);
            var k = 0;
            var end = at;
            for (var p = 0; p < pointers; p++)
            {
                k = k + 1 == gaps.Length ? 0 : k + 1;
                var gap = (k == 0 ? tail + gaps[0] : gaps[k]) * SeededRandom.Step; // before pointer p + 1
                end = at + (current.Nil ? SeededRandom.Step : unchecked(4 * SeededRandom.Step)); // the nil Chance; a try's pair, the interior Chance
                var next = FirstTry(end + gap, keys);
                uint entry;
                if (current.Nil)
                {
                    entry = PointerLog.Nil;
                }
                else if (current.Live)
                {
                    entry = PointerLog.Entry(1, current.Index, current.Slot);
                }
                else
                {
                    _rng.MoveTo(at + SeededRandom.Step);
                    var (target, slot) = RandomLiveTarget(out var attempts);
                    _rng.Skip(1); // the interior-pointer Chance
                    entry = PointerLog.Entry(attempts, target, slot);
                    end = _rng.State;
                    next = FirstTry(end + gap, keys);
                }

                if (!entries.IsEmpty)
                {
                    entries[p] = entry;
                }

                at = end + gap;
                current = next;
            }

            _rng.MoveTo(end + (tail * SeededRandom.Step));
        }

        /// <summary>
        /// A scan slot's scalar draws (<see cref="FillObject"/>: two a word that is neither a pointer nor a malloc header)
        /// before each of its pointer words, counted from the previous one, and after the last.
        /// </summary>
        private static (ulong[] Gaps, ulong Tail) PointerGaps(char[] pattern)
        {
            var gaps = new List<ulong>();
            ulong scalars = 0;
            foreach (var c in pattern)
            {
                if (c == 'p')
                {
                    gaps.Add(scalars);
                    scalars = 0;
                }
                else if (c != 'h')
                {
                    scalars += 2; // FillObject: Chance(0.7), then a small or a full word
                }
            }

            return ([.. gaps], scalars);
        }

        /// <summary>A pointer's nil Chance and the first try of its live-slot draw, with the free bit that try read.</summary>
        private readonly record struct Try(bool Nil, int Index, int Slot, bool Live);

        /// <summary>
        /// What <see cref="RandomPointerValue"/> draws first from <paramref name="state"/>: the nil Chance, then the
        /// live-slot draw's first try (<see cref="RandomLiveTarget(out int)"/>), whose span and free bit it reads.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Try FirstTry(ulong state, ReadOnlySpan<ulong> keys)
        {
            // The draws of Chance(0.12), then RandomLiveTarget's Next(keys.Length) and Next(count).
            var nil = SeededRandom.IsChance(SeededRandom.DrawAfter(state, 1), 0.12);
            var index = SeededRandom.Below(SeededRandom.DrawAfter(state, 2), (ulong)keys.Length);
            var key = keys[index];
            var slot = SeededRandom.Below(SeededRandom.DrawAfter(state, 3), key & KeyCountMask);
            return new Try(nil, index, slot, !_free[(long)(key >> 16) + slot]);
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
                    // A draw a byte, Next(39), made from a copy of the state (a third of a dump's bytes are text).
                    ReadOnlySpan<byte> alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 _-"u8;
                    var state = _rng.State;
                    for (var i = 0; i < slot.Length; i++)
                    {
                        slot[i] = alphabet[SeededRandom.Below(SeededRandom.Mix(state += SeededRandom.Step), (ulong)alphabet.Length)];
                    }

                    _rng.Skip((ulong)slot.Length);
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
                if (pattern[w] == 'h')
                {
                    // Go 1.22+ mallocgc: the 8-byte header holds the type pointer (then padding on 32-bit targets).
                    WriteWord(word, w == 0 ? _nodePointer!.Address : 0);
                }
                else if (pattern[w] == 'p')
                {
                    WriteWord(word, _log.IsEmpty ? RandomPointerValue() : LoggedPointerValue(_log.Take()));
                }
                else
                {
                    WriteWord(word, _rng.Chance(0.7) ? (ulong)_rng.Next(1000) : _rng.NextUInt64() & Mask);
                }
            }
        }

        /// <summary>
        /// Go 1.22+: the slots past nelems lie over what initSpan reserved at the span's end: the heap bits (one bit per
        /// word of the span, uintptr words in the target's byte order; Go: mbitmap.go heapBits, spanHeapBitsRange) and, from
        /// 1.26, the inline mark bits after them (left zero here). They are never allocated, so the dump writes them as
        /// objects whose contents are those bits; their own heap bits are clear, except in 1.26+'s 8-byte spans on 64-bit
        /// targets, whose initHeapBits sets every bit.
        /// </summary>
        private void FillSpanTail(PlannedSpan planned, byte[] memory, ulong[] pointer, ulong[] scan, bool singlePointer)
        {
            var size = (int)planned.ElemSize;
            var spanBytes = (int)planned.ByteCount;
            var allOnes = singlePointer && _ptr == 8 && _release.IsAtLeast(1, 26);
            var tailStart = planned.ElemCount * size;
            var bitCount = planned.Slots * size / _ptr;
            memory.AsSpan(tailStart).Clear();
            for (var w = tailStart / _ptr; w < bitCount; w++)
            {
                if (allOnes)
                {
                    pointer[w >> 6] |= 1UL << w;
                    scan[w >> 6] |= 1UL << w;
                }
                else
                {
                    pointer[w >> 6] &= ~(1UL << w);
                    scan[w >> 6] &= ~(1UL << w);
                }
            }

            var bitsBytes = (int)HeapBitsReserve((ulong)spanBytes, planned.ElemSize, planned.Shape!.NoScan);
            var bitsStart = spanBytes - bitsBytes - (int)MarkBitsReserve(planned.ElemSize);
            var bitsPerWord = _ptr * 8;
            for (var i = 0; i < bitsBytes / _ptr; i++)
            {
                ulong value = 0;
                for (var b = 0; b < bitsPerWord; b++)
                {
                    var w = (i * bitsPerWord) + b;
                    if (allOnes || (w < bitCount && (pointer[w >> 6] & (1UL << w)) != 0))
                    {
                        value |= 1UL << b;
                    }
                }

                var at = bitsStart + (i * _ptr);
                if (at + _ptr <= memory.Length)
                {
                    WriteWord(memory.AsSpan(at, _ptr), value);
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)] // a call a word of the heap otherwise
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

        private List<ulong> ArenasOf(ArenaGeometry geometry)
        {
            var set = new SortedSet<ulong>();
            foreach (var s in _spans)
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
    }
}
