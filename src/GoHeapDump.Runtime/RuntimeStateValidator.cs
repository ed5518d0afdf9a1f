using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Numerics;

namespace GoHeapDump.Runtime;

/// <summary>
/// The invariants of <see cref="RuntimeState"/>: what a real Go 1.19 runtime guarantees at a stop-the-world
/// point, plus what the dump algorithm needs to stay finite. Each failure is an <see cref="ArgumentException"/>
/// whose parameter name is the path of the offending part (e.g. <c>Spans[3].Bits</c>).
/// </summary>
/// <remarks>
/// Deliberately not checked, because the runtime's dump has defined behaviour for them and the suite wants
/// to exercise it: goroutine status values (bad ones make the dump throw), wait-reason indices past the
/// table, frames without a function (the traceback throws), spans with more slots than the free-mark array
/// (the dump throws), heap-bitmap pointer bits after an object's end-of-pointers word, specials on spans that
/// are not in use, empty function names.
/// </remarks>
internal sealed class RuntimeStateValidator
{
    private readonly RuntimeState _state;
    private readonly ulong _mask;
    private readonly int _ptrSize;
    private readonly bool _noLinkRegister;
    private readonly HashSet<FuncInfo> _checkedFunctions = new(ReferenceEqualityComparer.Instance);

    private RuntimeStateValidator(RuntimeState state)
    {
        _state = state;
        _ptrSize = state.Platform.PtrSize;
        _noLinkRegister = NoLinkRegister(state.Platform);
        _mask = _ptrSize == 8 ? ulong.MaxValue : uint.MaxValue;
    }

    public static void Validate(RuntimeState state)
    {
        var v = new RuntimeStateValidator(state);
        v.CheckPlatform();
        v.CheckArenas();
        v.CheckFunctions();
        var buckets = v.CheckMemProf();
        v.CheckSpans(buckets);
        var types = v.CheckTypes();
        v.CheckHeapTypes();
        v.CheckItabs(types);
        v.CheckGoroutines();
        v.CheckThreads();
        v.CheckSegment(state.Data, "Data");
        v.CheckSegment(state.Bss, "Bss");
        v.CheckFinalizerQueue();
        v.CheckMemStats();
    }

    private static ArgumentException Fail(string path, string message) => new($"{path}: {message}", path);

    private void Word(string path, ulong value)
    {
        if (value > _mask)
        {
            throw Fail(path, $"0x{value:x} does not fit in a {_ptrSize}-byte pointer-sized word");
        }
    }

    private static void NotNull(object? value, string path)
    {
        if (value is null)
        {
            throw Fail(path, "is null");
        }
    }

    private void CheckPlatform()
    {
        var p = _state.Platform;
        if (p.PtrSize is not (4 or 8))
        {
            throw Fail("Platform.PtrSize", $"pointer size must be 4 or 8, got {p.PtrSize}");
        }

        NotNull(p.Arenas, "Platform.Arenas");
        var g = p.Arenas;
        if (g.HeapArenaBytes < GoRuntime.PageSize || !BitOperations.IsPow2(g.HeapArenaBytes) || g.HeapArenaBytes > _mask)
        {
            throw Fail("Platform.Arenas.HeapArenaBytes", $"arena size must be a power of two of at least {GoRuntime.PageSize} bytes that fits a pointer, got {g.HeapArenaBytes}");
        }

        if (g.L1Bits < 0 || g.L2Bits < 0 || g.L1Bits + g.L2Bits + BitOperations.Log2(g.HeapArenaBytes) > _ptrSize * 8)
        {
            throw Fail("Platform.Arenas", $"index bits L1={g.L1Bits} L2={g.L2Bits} with {g.HeapArenaBytes}-byte arenas exceed the {_ptrSize * 8}-bit address space");
        }

        // Go 1.5/1.6 dumpparams writes thechar, which only the architectures of those releases have.
        if (!p.Release.IsAtLeast(1, 7) && !OldArchitectures.Contains(p.Goarch.ToString()))
        {
            throw Fail("Platform.Release", $"GOARCH {p.Goarch} did not exist in go{p.Release.Major}.{p.Release.Minor} (no thechar); go1.5 and go1.6 had {string.Join(", ", OldArchitectures)}");
        }

        Word("Platform.Arenas.BaseOffset", g.BaseOffset);
        if (g.BaseOffset % g.HeapArenaBytes != 0)
        {
            throw Fail("Platform.Arenas.BaseOffset", $"0x{g.BaseOffset:x} is not a multiple of the arena size");
        }
    }

    /// <summary>The architectures with a thechar (Go 1.5: 386 amd64 arm arm64 ppc64 ppc64le; 1.6 added mips64 and mips64le).</summary>
    private static readonly string[] OldArchitectures = ["386", "amd64", "arm", "arm64", "ppc64", "ppc64le", "mips64", "mips64le"];

    private void CheckArenas()
    {
        var arenas = _state.Arenas;
        var count = _state.Platform.Arenas.IndexCount;
        for (var i = 0; i < arenas.Length; i++)
        {
            if (arenas[i] >= count)
            {
                throw Fail($"Arenas[{i}]", $"arena index 0x{arenas[i]:x} is outside the {count} indices of the geometry");
            }

            if (i > 0 && arenas[i] <= arenas[i - 1])
            {
                throw Fail($"Arenas[{i}]", $"arena indices must be ascending and unique, 0x{arenas[i]:x} follows 0x{arenas[i - 1]:x}");
            }
        }
    }

    /// <summary>Go: mheap.go arenaIndex, in pointer-width arithmetic.</summary>
    private ulong ArenaIndex(ulong address) =>
        ((address - _state.Platform.Arenas.BaseOffset) & _mask) / _state.Platform.Arenas.HeapArenaBytes;

    private void CheckSpans(HashSet<ulong> buckets)
    {
        var spans = _state.Spans;
        var inUseArenas = _state.Arenas.ToHashSet();
        var order = new int[spans.Length];
        for (var i = 0; i < spans.Length; i++)
        {
            order[i] = i;
            CheckSpan(spans[i], $"Spans[{i}]", inUseArenas, buckets);
        }

        // Spans may not overlap: sort by base, then compare neighbours.
        Array.Sort(order, (a, b) => spans[a].Base.CompareTo(spans[b].Base));
        for (var k = 1; k < order.Length; k++)
        {
            var prev = spans[order[k - 1]];
            var cur = spans[order[k]];
            if (cur.Base < prev.Base + prev.ByteCount)
            {
                throw Fail($"Spans[{order[k]}]", $"span at 0x{cur.Base:x} overlaps Spans[{order[k - 1]}] [0x{prev.Base:x}, 0x{prev.Base + prev.ByteCount:x})");
            }
        }
    }

    private void CheckSpan(HeapSpan span, string path, HashSet<ulong> inUseArenas, HashSet<ulong> buckets)
    {
        NotNull(span, path);
        if (span.Base % GoRuntime.PageSize != 0)
        {
            throw Fail($"{path}.Base", $"0x{span.Base:x} is not page-aligned ({GoRuntime.PageSize})");
        }

        if (span.Pages == 0 || span.Pages > (_mask / GoRuntime.PageSize) + 1 || span.Base > _mask - ((span.Pages * GoRuntime.PageSize) - 1))
        {
            throw Fail($"{path}.Pages", $"{span.Pages} pages from 0x{span.Base:x} do not fit the address space (at least one page, no wrap-around)");
        }

        if (span.State is not (SpanState.Dead or SpanState.InUse or SpanState.Manual))
        {
            throw Fail($"{path}.State", $"unknown span state {(byte)span.State}");
        }

        // Every page lies in an arena in use. Go: spans are carved out of heap arenas.
        var first = ArenaIndex(span.Base);
        var last = ArenaIndex(span.Base + span.ByteCount - 1);
        if (last < first)
        {
            throw Fail($"{path}", $"span [0x{span.Base:x}, 0x{span.Base + span.ByteCount:x}) crosses the end of the arena index space");
        }

        for (var a = first; a <= last; a++)
        {
            if (!inUseArenas.Contains(a))
            {
                throw Fail($"{path}", $"span [0x{span.Base:x}, 0x{span.Base + span.ByteCount:x}) lies partly in arena 0x{a:x}, which is not in use");
            }
        }

        if (span.State == SpanState.InUse)
        {
            CheckInUseSpan(span, path);
        }

        if (span.Specials.IsDefault)
        {
            throw Fail($"{path}.Specials", "is null");
        }

        for (var i = 0; i < span.Specials.Length; i++)
        {
            var s = span.Specials[i];
            var sp = $"{path}.Specials[{i}]";
            NotNull(s, sp);
            if (s.Offset >= span.ByteCount)
            {
                throw Fail(sp, $"offset {s.Offset} is past the span's {span.ByteCount} bytes");
            }

            if (i > 0)
            {
                var prev = span.Specials[i - 1];
                if (s.Offset < prev.Offset || (s.Offset == prev.Offset && s.Kind <= prev.Kind))
                {
                    throw Fail(sp, $"specials must be sorted by offset then kind, at most one of a kind per offset (Go: addspecial); {s} follows {prev}");
                }
            }

            switch (s)
            {
                case FinalizerSpecial f:
                    CheckFuncVal(f.Fn, $"{sp}.Fn");
                    Word($"{sp}.ArgType", f.ArgType);
                    Word($"{sp}.ObjectType", f.ObjectType);
                    break;
                case ProfileSpecial p:
                    if (!buckets.Contains(p.Bucket))
                    {
                        throw Fail($"{sp}.Bucket", $"0x{p.Bucket:x} is not the address of a memprof bucket of the state");
                    }

                    break;
                default:
                    throw Fail(sp, $"unknown special kind {s.GetType().Name}");
            }
        }
    }

    private void CheckInUseSpan(HeapSpan span, string path)
    {
        if (span.ElemSize == 0 || span.ElemSize % (ulong)_ptrSize != 0 || span.ElemSize > span.ByteCount)
        {
            throw Fail($"{path}.ElemSize", $"an in-use span's element size must be a non-zero multiple of the pointer size, at most the span's {span.ByteCount} bytes; got {span.ElemSize}");
        }

        var slots = span.SlotCount;
        var bytes = slots * span.ElemSize;
        if (bytes > (ulong)Array.MaxLength)
        {
            throw Fail($"{path}", $"{bytes} bytes of slots is more than this model can hold ({Array.MaxLength})");
        }

        if (span.ElemCount < 0 || (ulong)span.ElemCount > slots)
        {
            throw Fail($"{path}.ElemCount", $"nelems {span.ElemCount} must be between 0 and the span's {slots} slots");
        }

        NotNull(span.FreeSlots, $"{path}.FreeSlots");
        if (span.FreeSlots.Length != span.ElemCount)
        {
            throw Fail($"{path}.FreeSlots", $"needs one bit per element ({span.ElemCount}), has {span.FreeSlots.Length}");
        }

        if (span.Memory.IsDefault || (ulong)span.Memory.Length != bytes)
        {
            throw Fail($"{path}.Memory", $"must hold the {slots} slots of {span.ElemSize} bytes ({bytes} bytes), has {(span.Memory.IsDefault ? 0 : span.Memory.Length)}");
        }

        NotNull(span.Bits, $"{path}.Bits");
        NotNull(span.Bits.Pointer, $"{path}.Bits.Pointer");
        NotNull(span.Bits.Scan, $"{path}.Bits.Scan");
        var words = (int)(bytes / (ulong)_ptrSize);
        if (span.Bits.Pointer.Length != words || span.Bits.Scan.Length != words)
        {
            throw Fail($"{path}.Bits", $"the heap bitmap must describe the {words} words of the slots, has {span.Bits.Pointer.Length} pointer and {span.Bits.Scan.Length} scan bits");
        }

        // Go: mbitmap.go "If the upper bit is 0, the lower bit must also be 0".
        var p = span.Bits.Pointer.Words;
        var s = span.Bits.Scan.Words;
        for (var w = 0; w < p.Length; w++)
        {
            var bad = p[w] & ~s[w];
            if (bad != 0)
            {
                var word = (w * 64) + BitOperations.TrailingZeroCount(bad);
                throw Fail($"{path}.Bits", $"word {word} (slot {(ulong)word * (ulong)_ptrSize / span.ElemSize}) is a pointer without its scan bit: a dead word is never a pointer");
            }
        }

        if (span.NoScan && span.Bits.Pointer.Words.ContainsAnyExcept(0UL))
        {
            throw Fail($"{path}.Bits", "a noscan span's objects hold no pointers");
        }

        var large = span.ElemSize > MaxSmallSize;
        if (span.LargeType is { } lt)
        {
            if (!large || span.NoScan)
            {
                throw Fail($"{path}.LargeType", "only a large object with pointers (one slot over 32 KiB, not noscan) has a large type");
            }

            CheckLayoutType(lt, $"{path}.LargeType", span.ElemSize);
        }
        else if (large && !span.NoScan && _state.Release.IsAtLeast(1, 22))
        {
            // Go 1.22 typePointersOfUnchecked reads span.largeType.GCData: nil would crash the dump.
            throw Fail($"{path}.LargeType", "from Go 1.22 a large object that is not noscan needs its type (mspan.largeType)");
        }
    }

    /// <summary>Go: sizeclasses.go _MaxSmallSize: larger objects have a span of their own.</summary>
    private const ulong MaxSmallSize = 32768;

    /// <summary>A type whose pointer mask the dump repeats through an object (Go 1.22 typePointers): a stride and a mask inside it.</summary>
    private void CheckLayoutType(RuntimeType t, string path, ulong room)
    {
        NotNull(t, path);
        if (t.Size == 0 || t.Size % (ulong)_ptrSize != 0 || t.Size > room)
        {
            throw Fail($"{path}.Size", $"a heap object's type needs a non-zero size that is a multiple of the pointer size and fits its {room} bytes, got {t.Size}");
        }

        NotNull(t.GCMask, $"{path}.GCMask");
        if (t.GCMask.Length == 0 || (ulong)t.GCMask.Length * (ulong)_ptrSize != t.PtrData)
        {
            throw Fail($"{path}.GCMask", $"a heap object's type with pointers needs one mask bit per word of its {t.PtrData} bytes of ptrdata, has {t.GCMask.Length}");
        }
    }

    /// <summary>
    /// Go 1.22+: every object the dump writes in a small scan span over PtrSize·8·PtrSize bytes starts with its malloc header, a
    /// pointer to its type (Go: runtime/mbitmap.go typePointersOfUnchecked reads it), so it must be one of the state's types.
    /// </summary>
    private void CheckHeapTypes()
    {
        if (!_state.Release.IsAtLeast(1, 22))
        {
            return;
        }

        var byAddress = _state.Types.ToDictionary(t => t.Address);
        var minHeader = (ulong)(_ptrSize * _ptrSize * 8);
        for (var i = 0; i < _state.Spans.Length; i++)
        {
            var span = _state.Spans[i];
            if (span.State != SpanState.InUse || span.NoScan || span.ElemSize <= minHeader || span.ElemSize > MaxSmallSize)
            {
                continue;
            }

            // Every slot the dump writes: the allocated ones and any past nelems.
            for (var j = 0; (ulong)j < span.SlotCount; j++)
            {
                if (j < span.ElemCount && span.FreeSlots[j])
                {
                    continue;
                }

                var word = span.Memory.AsSpan(checked((int)((ulong)j * span.ElemSize)), _ptrSize);
                var header = (_ptrSize, _state.Platform.BigEndian) switch
                {
                    (8, false) => BinaryPrimitives.ReadUInt64LittleEndian(word),
                    (8, true) => BinaryPrimitives.ReadUInt64BigEndian(word),
                    (_, false) => BinaryPrimitives.ReadUInt32LittleEndian(word),
                    _ => BinaryPrimitives.ReadUInt32BigEndian(word),
                };
                var path = $"Spans[{i}].Memory";
                if (!byAddress.TryGetValue(header, out var t))
                {
                    throw Fail(path, $"slot {j}'s malloc header 0x{header:x} is not one of the state's types (Go 1.22+: an object with pointers over {minHeader} bytes starts with its type)");
                }

                CheckLayoutType(t, $"{path}[slot {j}] header type", span.ElemSize - MallocHeaderSize);
            }
        }
    }

    /// <summary>Go: mbitmap.go mallocHeaderSize, 8 bytes on every architecture.</summary>
    private const ulong MallocHeaderSize = 8;

    private void CheckFuncVal(FuncVal? fn, string path)
    {
        NotNull(fn, path);
        if (fn!.Address == 0)
        {
            throw Fail(path, "a funcval address of 0 is a nil function");
        }

        Word($"{path}.Address", fn.Address);
        Word($"{path}.Entry", fn.Entry);
    }

    private HashSet<ulong> CheckTypes()
    {
        var seen = new HashSet<ulong>();
        for (var i = 0; i < _state.Types.Length; i++)
        {
            var t = _state.Types[i];
            var path = $"Types[{i}]";
            NotNull(t, path);
            if (t.Address == 0)
            {
                throw Fail($"{path}.Address", "a type at address 0 is a nil type");
            }

            Word($"{path}.Address", t.Address);
            Word($"{path}.Size", t.Size);
            Word($"{path}.PtrData", t.PtrData);
            if (!seen.Add(t.Address))
            {
                throw Fail($"{path}.Address", $"two types at 0x{t.Address:x}: a type's address is its identity");
            }

            if (t.PtrData > t.Size)
            {
                throw Fail($"{path}.PtrData", $"ptrdata {t.PtrData} exceeds the size {t.Size}");
            }

            if (t.ExtraStar && t.Str.Length == 0)
            {
                throw Fail($"{path}.Str", "an extra-star type needs a name with a leading byte to drop");
            }
        }

        return seen;
    }

    private void CheckItabs(HashSet<ulong> typeAddresses)
    {
        var seen = new HashSet<ulong>();
        var byAddress = _state.Types.ToDictionary(t => t.Address);
        for (var i = 0; i < _state.Itabs.Length; i++)
        {
            var itab = _state.Itabs[i];
            var path = $"Itabs[{i}]";
            NotNull(itab, path);
            if (itab.Address == 0 || !seen.Add(itab.Address))
            {
                throw Fail($"{path}.Address", $"itab addresses must be non-zero and unique, got 0x{itab.Address:x}");
            }

            Word($"{path}.Address", itab.Address);
            if (itab.Type is { } t && (!typeAddresses.Contains(t.Address) || !byAddress[t.Address].Equals(t)))
            {
                throw Fail($"{path}.Type", $"type 0x{t.Address:x} is not one of the state's types");
            }
        }
    }

    private void CheckGoroutines()
    {
        var seen = new HashSet<ulong>();
        for (var i = 0; i < _state.Goroutines.Length; i++)
        {
            var g = _state.Goroutines[i];
            var path = $"Goroutines[{i}]";
            NotNull(g, path);
            if (g.Address == 0 || !seen.Add(g.Address))
            {
                throw Fail($"{path}.Address", $"goroutine addresses must be non-zero and unique, got 0x{g.Address:x}");
            }

            Word($"{path}.Address", g.Address);
            Word($"{path}.Gopc", g.Gopc);
            Word($"{path}.SchedSp", g.SchedSp);
            Word($"{path}.SchedPc", g.SchedPc);
            Word($"{path}.SchedLr", g.SchedLr);
            Word($"{path}.SchedCtxt", g.SchedCtxt);
            Word($"{path}.SyscallSp", g.SyscallSp);
            Word($"{path}.SyscallPc", g.SyscallPc);
            Word($"{path}.M", g.M);
            CheckFrames(g, path);
            CheckChain(g.Defers, $"{path}.Defers", (d, p) =>
            {
                Word($"{p}.Sp", d.Sp);
                Word($"{p}.Pc", d.Pc);
                if (d.Fn is not null)
                {
                    CheckFuncVal(d.Fn, $"{p}.Fn");
                }

                return d.Address;
            });
            CheckChain(g.Panics, $"{path}.Panics", (p, pp) =>
            {
                Word($"{pp}.ArgType", p.ArgType);
                Word($"{pp}.ArgData", p.ArgData);
                return p.Address;
            });
        }
    }

    private void CheckChain<T>(ImmutableArray<T> chain, string path, Func<T, string, ulong> check)
        where T : class
    {
        if (chain.IsDefault)
        {
            throw Fail(path, "is null");
        }

        var seen = new HashSet<ulong>();
        for (var i = 0; i < chain.Length; i++)
        {
            var p = $"{path}[{i}]";
            NotNull(chain[i], p);
            var address = check(chain[i], p);
            if (address == 0 || !seen.Add(address))
            {
                throw Fail($"{p}.Address", $"addresses in a chain must be non-zero and unique (a link of 0 ends it), got 0x{address:x}");
            }

            Word($"{p}.Address", address);
        }
    }

    /// <summary>
    /// Where gentraceback puts frame 0: the traceback sp, or one word above it when the traceback pc is 0 on a
    /// target without a link register. Go: runtime/traceback.go gentraceback ("if frame.pc == 0").
    /// </summary>
    private ulong FirstFrameSp(Goroutine g) =>
        g.TracebackPc == 0 && _noLinkRegister ? g.TracebackSp + (ulong)_ptrSize : g.TracebackSp;

    /// <summary>True when the platform's GOARCH keeps return addresses on the stack (386, amd64, wasm); an unknown GOARCH counts as having a link register.</summary>
    private static bool NoLinkRegister(RuntimePlatform platform) =>
        platform.Goarch.ToString() is var name && GoArchitecture.Names.Contains(name) && !GoArchitecture.Get(name).UsesLinkRegister;

    private void CheckFrames(Goroutine g, string path)
    {
        var frames = g.Frames;
        if (frames.IsDefault)
        {
            throw Fail($"{path}.Frames", "is null");
        }

        for (var k = 0; k < frames.Length; k++)
        {
            var f = frames[k];
            var fp = $"{path}.Frames[{k}]";
            NotNull(f, fp);
            Word($"{fp}.Pc", f.Pc);
            Word($"{fp}.ContinuationPc", f.ContinuationPc);
            Word($"{fp}.Sp", f.Sp);
            Word($"{fp}.Fp", f.Fp);
            Word($"{fp}.Varp", f.Varp);
            Word($"{fp}.Argp", f.Argp);
            Word($"{fp}.ArgLen", f.ArgLen);
            if (!(f.Sp <= f.Varp && f.Varp <= f.Fp && f.Fp <= f.Argp))
            {
                throw Fail(fp, $"a frame needs sp ≤ varp ≤ fp ≤ argp, got sp=0x{f.Sp:x} varp=0x{f.Varp:x} fp=0x{f.Fp:x} argp=0x{f.Argp:x}");
            }

            if (f.Contents.IsDefault || (ulong)f.Contents.Length != f.Fp - f.Sp)
            {
                throw Fail($"{fp}.Contents", $"must hold the frame's fp − sp = {f.Fp - f.Sp} bytes, has {(f.Contents.IsDefault ? 0 : f.Contents.Length)}");
            }

            // Go: traceback.go: frame 0 starts exactly at the goroutine's traceback sp, one word higher when the
            // traceback pc is 0 on a target without a link register (gentraceback pops the return address of the
            // nil call); each caller's sp is its callee's fp (or above it after a sigpanic adjustment).
            if (k == 0)
            {
                var start = FirstFrameSp(g);
                if (f.Sp != start)
                {
                    throw Fail($"{fp}.Sp", $"0x{f.Sp:x}, expected the goroutine's traceback sp 0x{start:x}{(start != g.TracebackSp ? " (one word above sp: the traceback pc is 0)" : "")}");
                }
            }
            else if (f.Sp < frames[k - 1].Fp)
            {
                throw Fail($"{fp}.Sp", $"0x{f.Sp:x} is below the callee frame's fp 0x{frames[k - 1].Fp:x}: frames go up the stack");
            }

            if (f.Function is null)
            {
                continue; // the traceback throws "unknown pc": a state the dump must handle
            }

            CheckFunction(f.Function, $"{fp}.Function");
            if (f.Pc < f.Function.Entry || f.Pc >= f.Function.End)
            {
                throw Fail($"{fp}.Pc", $"0x{f.Pc:x} is outside its function [0x{f.Function.Entry:x}, 0x{f.Function.End:x})");
            }

            var index = StackMapIndex(f);
            var locals = f.Function.LocalsPointerMaps;
            var localsSpace = f.Varp - f.Sp;
            if (locals is { Count: > 0 })
            {
                if (index < 0 || index >= locals.Count)
                {
                    throw Fail($"{fp}", $"stack-map index {index} at pc 0x{f.Pc:x} is outside the {locals.Count} locals bitmaps");
                }

                if ((ulong)locals.BitCount * (ulong)_ptrSize > localsSpace)
                {
                    throw Fail($"{fp}", $"the locals bitmap's {locals.BitCount} words do not fit the {localsSpace} bytes between sp and varp");
                }
            }
            else if (locals is { Count: < 0 } && (ulong)-(long)locals.Count > localsSpace)
            {
                throw Fail($"{fp}", $"the locals size {-(long)locals.Count} does not fit the {localsSpace} bytes between sp and varp");
            }

            var args = f.Function.ArgsPointerMaps;
            if (args is not null && (index < 0 || index >= args.Count))
            {
                throw Fail($"{fp}", $"stack-map index {index} at pc 0x{f.Pc:x} is outside the {args.Count} args bitmaps");
            }

            // The incoming arguments live in the caller's frame (at the caller's sp + MinFrameSize).
            if (k + 1 < frames.Length && frames[k + 1] is { } parent && parent.Fp >= parent.Sp)
            {
                var parentSize = parent.Fp - parent.Sp;
                var argOff = f.Argp - f.Fp;
                var argWords = args is null ? f.ArgLen : (ulong)args.BitCount * (ulong)_ptrSize;
                if (argOff > parentSize || f.ArgLen > parentSize - argOff || argWords > parentSize - argOff)
                {
                    throw Fail($"{fp}.ArgLen", $"the arguments at offset {argOff} ({f.ArgLen} bytes, {argWords} described) do not fit the caller's {parentSize}-byte frame");
                }
            }
        }
    }

    /// <summary>The stack-map index the dump uses for a frame. Go: heapdump.go dumpframe (−1 at entry or when missing, then 0).</summary>
    private static int StackMapIndex(StackFrame frame)
    {
        var fn = frame.Function!;
        var index = -1;
        if (frame.Pc != fn.Entry && fn.StackMapIndex is { } table && table.TryLookup(fn.Entry, frame.Pc - 1, out var value))
        {
            index = value;
        }

        return index == -1 ? 0 : index;
    }

    private void CheckFunction(FuncInfo fn, string path)
    {
        if (!_checkedFunctions.Add(fn))
        {
            return;
        }

        Word($"{path}.Entry", fn.Entry);
        Word($"{path}.End", fn.End);
        if (fn.End <= fn.Entry)
        {
            throw Fail(path, $"a function needs entry < end, got [0x{fn.Entry:x}, 0x{fn.End:x})");
        }

        CheckStackMap(fn.ArgsPointerMaps, $"{path}.ArgsPointerMaps", allowSize: false);
        CheckStackMap(fn.LocalsPointerMaps, $"{path}.LocalsPointerMaps", allowSize: true);
        if (fn.StackMapIndex is { } index)
        {
            CheckTable(index, fn, $"{path}.StackMapIndex");
            for (var i = 0; i < index.Runs.Length; i++)
            {
                if (index.Runs[i].Value < -1)
                {
                    throw Fail($"{path}.StackMapIndex.Runs[{i}]", $"a stack-map index is −1 or a bitmap index, got {index.Runs[i].Value}");
                }
            }
        }

        if (fn.Lines is { } lines)
        {
            CheckTable(lines, fn, $"{path}.Lines");
        }
    }

    private static void CheckStackMap(StackMap? map, string path, bool allowSize)
    {
        if (map is null)
        {
            return;
        }

        if (map.Count < 0)
        {
            if (!allowSize)
            {
                throw Fail(path, "only a locals map may give a size (negative count)");
            }

            if (!map.Bitmaps.IsDefaultOrEmpty)
            {
                throw Fail(path, "a size-only map has no bitmaps");
            }

            return;
        }

        if (map.BitCount < 0 || map.Bitmaps.IsDefault || map.Bitmaps.Length != map.Count)
        {
            throw Fail(path, $"count {map.Count} needs that many bitmaps, has {(map.Bitmaps.IsDefault ? 0 : map.Bitmaps.Length)}");
        }

        for (var i = 0; i < map.Bitmaps.Length; i++)
        {
            if (map.Bitmaps[i] is null || map.Bitmaps[i].Length != map.BitCount)
            {
                throw Fail($"{path}.Bitmaps[{i}]", $"every bitmap has the map's {map.BitCount} bits, this one {map.Bitmaps[i]?.Length ?? 0}");
            }
        }
    }

    private void CheckTable<T>(PcTable<T> table, FuncInfo fn, string path)
    {
        // Go: symtab.go pcvalue (strict): a table must cover every PC of the function, or the runtime throws.
        if (table.Runs.IsDefaultOrEmpty)
        {
            throw Fail(path, "a pc-value table has at least one run");
        }

        var start = fn.Entry;
        for (var i = 0; i < table.Runs.Length; i++)
        {
            Word($"{path}.Runs[{i}].End", table.Runs[i].End);
            if (table.Runs[i].End <= start)
            {
                throw Fail($"{path}.Runs[{i}]", $"runs must end in ascending order after the entry, 0x{table.Runs[i].End:x} ≤ 0x{start:x}");
            }

            start = table.Runs[i].End;
        }

        if (start != fn.End)
        {
            throw Fail(path, $"the table must cover the function up to its end 0x{fn.End:x}, stops at 0x{start:x}");
        }
    }

    private void CheckFunctions()
    {
        for (var i = 0; i < _state.Functions.Length; i++)
        {
            var path = $"Functions[{i}]";
            var fn = _state.Functions[i];
            NotNull(fn, path);
            CheckFunction(fn, path);
            if (i > 0 && fn.Entry < _state.Functions[i - 1].End)
            {
                throw Fail(path, $"the symbol table is sorted and non-overlapping; [0x{fn.Entry:x}, 0x{fn.End:x}) starts before 0x{_state.Functions[i - 1].End:x}");
            }
        }
    }

    private HashSet<ulong> CheckMemProf()
    {
        var seen = new HashSet<ulong>();
        for (var i = 0; i < _state.MemProfBuckets.Length; i++)
        {
            var b = _state.MemProfBuckets[i];
            var path = $"MemProfBuckets[{i}]";
            NotNull(b, path);
            if (b.Address == 0 || !seen.Add(b.Address))
            {
                throw Fail($"{path}.Address", $"bucket addresses must be non-zero and unique, got 0x{b.Address:x}");
            }

            Word($"{path}.Address", b.Address);
            Word($"{path}.Size", b.Size);
            Word($"{path}.Allocs", b.Allocs);
            Word($"{path}.Frees", b.Frees);
            if (b.Stack.IsDefault)
            {
                throw Fail($"{path}.Stack", "is null");
            }

            for (var k = 0; k < b.Stack.Length; k++)
            {
                Word($"{path}.Stack[{k}]", b.Stack[k]);
            }
        }

        return seen;
    }

    private void CheckThreads()
    {
        var seen = new HashSet<ulong>();
        for (var i = 0; i < _state.Threads.Length; i++)
        {
            var m = _state.Threads[i];
            var path = $"Threads[{i}]";
            NotNull(m, path);
            if (m.Address == 0 || !seen.Add(m.Address))
            {
                throw Fail($"{path}.Address", $"M addresses must be non-zero and unique, got 0x{m.Address:x}");
            }

            Word($"{path}.Address", m.Address);
        }
    }

    private void CheckSegment(ModuleSegment segment, string path)
    {
        NotNull(segment, path);
        Word($"{path}.Address", segment.Address);
        if (segment.Contents.IsDefault)
        {
            throw Fail($"{path}.Contents", "is null");
        }

        if ((ulong)segment.Contents.Length > _mask - segment.Address + 1)
        {
            throw Fail($"{path}.Contents", $"{segment.Contents.Length} bytes from 0x{segment.Address:x} wrap around the address space");
        }

        NotNull(segment.PointerMask, $"{path}.PointerMask");
        var words = segment.Contents.Length / _ptrSize;
        if (segment.PointerMask.Length != words)
        {
            throw Fail($"{path}.PointerMask", $"needs one bit per word of the segment ({words}), has {segment.PointerMask.Length}");
        }
    }

    private void CheckFinalizerQueue()
    {
        for (var i = 0; i < _state.FinalizerQueue.Length; i++)
        {
            var f = _state.FinalizerQueue[i];
            var path = $"FinalizerQueue[{i}]";
            NotNull(f, path);
            Word($"{path}.Object", f.Object);
            CheckFuncVal(f.Fn, $"{path}.Fn");
            Word($"{path}.ArgType", f.ArgType);
            Word($"{path}.ObjectType", f.ObjectType);
        }
    }

    private void CheckMemStats()
    {
        if (_state.MemStats.PauseNs.IsDefault || _state.MemStats.PauseNs.Length != 256)
        {
            throw Fail("MemStats.PauseNs", $"PauseNs has exactly 256 entries, got {(_state.MemStats.PauseNs.IsDefault ? 0 : _state.MemStats.PauseNs.Length)}");
        }
    }
}
