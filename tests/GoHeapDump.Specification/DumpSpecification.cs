// INDEPENDENCE RULE. This file states, a second time and in its own words, what the heap dump of a
// runtime state contains, for the state's Go release (RuntimeState.Release, go1.5 to 1.27): which records, in which order, with which values. It is written from
// spec/FORMAT.md and from the semantics of runtime/heapdump.go, and it must never call the reference writer
// (GoHeapDump.Reference) or share its logic: the property suite compares the two, and a shared mistake would
// be invisible. Its project references only the format core (the record types) and the runtime model (plain
// data), so the compiler enforces the rule; SpecificationIndependenceTests checks the assembly's references.
// It also avoids the model's derived helpers that the writer uses (RuntimeState.FindFunc,
// Goroutine.TracebackSp, HeapSpan.IsFree/SlotCount/SlotBytes, MemStats.Scalars, PcTable.TryLookup): it
// recomputes those facts from the plain fields.
//
// Style: declarative. Each part of the dump is a sequence computed from the state (LINQ and iterators), and
// the dump is their concatenation in the order of FORMAT.md "Record order". Where the Go runtime's
// behaviour is stateful (the type cache), the specification states the resulting rule instead of
// simulating the machinery (see TypeIsWritten).

using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using GoHeapDump.Runtime;

namespace GoHeapDump.Specification;

/// <summary>What the runtime does when it cannot dump a state: it prints a line, then throws (a fatal error) with this message.</summary>
/// <param name="GoThrow">The runtime's throw string, e.g. "dumpgs in STW - bad status".</param>
/// <param name="RuntimePrint">The line it prints first (without the newline), or empty.</param>
public sealed record ExpectedThrow(string GoThrow, string RuntimePrint = "");

/// <summary>
/// The expected dump of a state.
/// </summary>
/// <param name="Records">Every record the runtime writes, in order: ending with EOF for a complete dump, or the records
/// written before the fatal error when <paramref name="Throw"/> is set.</param>
/// <param name="Throw">The fatal error the runtime dies of, or null for a complete dump.</param>
/// <param name="Dwrites">The length of every non-empty <c>dwrite</c> call, header first, in order (empty ones do nothing in Go).</param>
public sealed record ExpectedDump(ImmutableArray<HeapDumpRecord> Records, ExpectedThrow? Throw, ImmutableArray<int> Dwrites)
{
    /// <summary>The header the dump starts with: go1.5 and go1.6 wrote their own, every later release "go1.7 heap dump\n".</summary>
    public HeaderVersion Header { get; init; } = HeaderVersion.Go17;
}

/// <summary>The specification function: <see cref="RuntimeState"/> → <see cref="ExpectedDump"/>.</summary>
public static class DumpSpecification
{
    /// <summary>What dumpframe writes for a function without a name.</summary>
    public static readonly GoString UnknownFunction = "unknown function";

    /// <summary>The expected dump of <paramref name="state"/>.</summary>
    public static ExpectedDump Expect(RuntimeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var ctx = new Context(state);
        var records = ImmutableArray.CreateBuilder<HeapDumpRecord>();
        var dwrites = ImmutableArray.CreateBuilder<int>();
        dwrites.Add(16); // the header "go1.N heap dump\n" (N = 5, 6, then 7 from Go 1.7 on), one dwrite
        ExpectedThrow? fatal = null;
        foreach (var step in Dump(ctx))
        {
            if (step.Fatal is { } f)
            {
                fatal = f;
                break;
            }

            records.Add(step.Record!);
            dwrites.AddRange(Dwrites.Of(step.Record!, step.SplitTypeName));
        }

        return new ExpectedDump(records.ToImmutable(), fatal, dwrites.ToImmutable())
        {
            Header = ctx.Minor switch { <= 5 => HeaderVersion.Go15, 6 => HeaderVersion.Go16, _ => HeaderVersion.Go17 },
        };
    }

    /// <summary>One step of the dump: a record (with how a type record's name was written), or the fatal error that ends it.</summary>
    private readonly record struct Step(HeapDumpRecord? Record, ExpectedThrow? Fatal, (int PkgPath, int Name)? SplitTypeName = null)
    {
        public static implicit operator Step(HeapDumpRecord record) => new(record, null);

        public static Step Die(string goThrow, string runtimePrint = "") => new(null, new ExpectedThrow(goThrow, runtimePrint));
    }

    /// <summary>FORMAT.md "Record order": params, itabs (with their types), objects, goroutines, threads, roots, memstats, memprof, EOF.</summary>
    private static IEnumerable<Step> Dump(Context ctx) =>
        new[] { (Step)Params(ctx) }
            .Concat(Itabs(ctx))
            .Concat(Objects(ctx))
            .Concat(Goroutines(ctx))
            .Concat(ctx.State.Threads.Select(m => (Step)new OsThreadRecord(m.Address, (ulong)m.Id, m.ProcId)))
            .Concat(Roots(ctx))
            .Append(MemStatsOf(ctx.State.MemStats))
            .Concat(ctx.State.MemProfBuckets.Select(b => (Step)MemProf(ctx, b)))
            .Concat(AllocSamples(ctx))
            .Append(EofRecord.Instance);

    private sealed class Context(RuntimeState state)
    {
        public RuntimeState State { get; } = state;

        public int Ptr { get; } = state.Platform.PtrSize;

        /// <summary>The release's minor number (1.N); a major release past 1 counts as the newest.</summary>
        public int Minor { get; } = state.Release.Major > 1 ? int.MaxValue : state.Release.Minor;

        /// <summary>uintptr arithmetic: results are taken modulo 2^(8·PtrSize).</summary>
        public ulong Word(ulong value) => Ptr == 8 ? value : value & 0xffff_ffffUL;
    }

    // ------------------------------------------------------------------ params

    /// <summary>
    /// Go: dumpparams. The heap range is computed over the arenas in use in ascending index order, with the
    /// runtime's exact comparisons: a start of 0 counts as "not set yet", and an end that wraps past the top
    /// of the address space compares as small.
    /// </summary>
    private static ParamsRecord Params(Context ctx)
    {
        var p = ctx.State.Platform;
        var bases = ctx.State.Arenas.Select(i => ctx.Word((i * p.Arenas.HeapArenaBytes) + p.Arenas.BaseOffset));
        var start = bases.Aggregate(0UL, (s, b) => s == 0 || b < s ? b : s);
        var end = bases.Aggregate(0UL, (e, b) => ctx.Word(b + p.Arenas.HeapArenaBytes) > e ? ctx.Word(b + p.Arenas.HeapArenaBytes) : e);
        // go1.5 and go1.6 named the architecture by its one-character code (thechar), later releases by GOARCH.
        return ctx.Minor < 7
            ? ParamsRecord.WithTheChar(p.BigEndian, (ulong)p.PtrSize, start, end, TheCharOf(p.Goarch.ToString()), p.VersionInfo, unchecked((ulong)(long)p.Ncpu))
            : ParamsRecord.WithArch(p.BigEndian, (ulong)p.PtrSize, start, end, p.Goarch, p.VersionInfo, unchecked((ulong)(long)p.Ncpu));
    }

    /// <summary>The go1.5/go1.6 architecture characters (FORMAT.md, params).</summary>
    private static ulong TheCharOf(string goarch)
    {
        var codes = new Dictionary<string, char>
        {
            ["386"] = '8', ["amd64"] = '6', ["arm"] = '5', ["arm64"] = '7', ["ppc64"] = '9', ["ppc64le"] = '9', ["mips64"] = '0', ["mips64le"] = '0',
        };
        return codes[goarch];
    }

    // ------------------------------------------------------------------ types and itabs

    private static IEnumerable<Step> Itabs(Context ctx)
    {
        // The type an itab names: its type, except in go1.5/go1.6 for a type held indirectly in interfaces, where it is
        // the type of the interface's data word, *T (nil when the binary has no *T).
        var named = ctx.State.Itabs.Select(tab => ctx.Minor < 7 && tab.Type is { DirectIface: false } t ? t.PtrTo : tab.Type).ToImmutableArray();
        for (var i = 0; i < named.Length; i++)
        {
            if (named[i] is { } t && TypeIsWritten(named, i))
            {
                yield return TypeRecordOf(ctx, t);
            }

            yield return new ItabRecord(ctx.State.Itabs[i].Address, named[i]?.Address ?? 0);
        }
    }

    /// <summary>
    /// The type cache as a rule: 256 buckets (by hash &amp; 255) of 4 entries, most recently used first, a hit moved
    /// to the front, a miss inserted at the front evicting the last. So a bucket always holds the (up to) four
    /// most recently used distinct types of that bucket, and itab <paramref name="i"/>'s type is written exactly
    /// when it is not one of the four distinct types most recently named by earlier itabs of its bucket.
    /// </summary>
    private static bool TypeIsWritten(ImmutableArray<RuntimeType?> types, int i)
    {
        var t = types[i]!;
        var bucket = t.Hash & 255;
        var recent = types.Take(i)
            .Where(x => x is not null && (x.Hash & 255) == bucket)
            .Select(x => x!.Address)
            .Reverse()
            .Distinct()
            .Take(4);
        return !recent.Contains(t.Address);
    }

    /// <summary>Go: dumptype. The name is pkgpath "." name when the type has a non-empty package path, else t.string().</summary>
    private static Step TypeRecordOf(Context ctx, RuntimeType t)
    {
        var ifaceDataIsPointer = !t.DirectIface || t.PtrData != 0;
        var str = TypeString(t);
        if (t.PkgPath is { Length: > 0 } pkgPath)
        {
            var name = TypeName(t.Named, str, bracketsHideDots: ctx.Minor >= 18);
            var full = Concat(pkgPath.Span, "."u8, name);
            return new Step(new TypeRecord(t.Address, t.Size, full, ifaceDataIsPointer), null, (pkgPath.Length, name.Length));
        }

        return new TypeRecord(t.Address, t.Size, GoString.Copy(str), ifaceDataIsPointer);
    }

    /// <summary>Go: (*_type).string: the stored name, without its first byte (a '*') when tflagExtraStar is set.</summary>
    private static ReadOnlySpan<byte> TypeString(RuntimeType t) => t.ExtraStar ? t.Str.Span[1..] : t.Str.Span;

    /// <summary>
    /// Go: (*_type).name: empty unless the type is named; otherwise the suffix of the type string after the
    /// last '.' that is not inside square brackets, where brackets are counted from the end of the string
    /// (']' opens, '[' closes, as the runtime scans backwards), or the whole string when there is none. Brackets
    /// count from Go 1.18 (type arguments); before, the last '.' of all.
    /// </summary>
    private static byte[] TypeName(bool named, ReadOnlySpan<byte> s, bool bracketsHideDots)
    {
        if (!named)
        {
            return [];
        }

        var depth = 0;
        var cut = -1;
        for (var k = s.Length - 1; k >= 0; k--)
        {
            if (s[k] == '.' && depth == 0)
            {
                cut = k;
                break;
            }

            depth += !bracketsHideDots ? 0 : s[k] == ']' ? 1 : s[k] == '[' ? -1 : 0;
        }

        return s[(cut + 1)..].ToArray();
    }

    private static GoString Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        var bytes = new byte[a.Length + b.Length + c.Length];
        a.CopyTo(bytes);
        b.CopyTo(bytes.AsSpan(a.Length));
        c.CopyTo(bytes.AsSpan(a.Length + b.Length));
        return new GoString(bytes);
    }

    // ------------------------------------------------------------------ objects

    /// <summary>Go: dumpobjs. Spans in list order; only in-use spans; a span of more than 1024 slots is fatal.</summary>
    private static IEnumerable<Step> Objects(Context ctx)
    {
        foreach (var span in ctx.State.Spans.Where(s => s.State == SpanState.InUse))
        {
            var slots = span.Pages * GoRuntime.PageSize / span.ElemSize;
            if (slots > GoRuntime.PageSize / 8)
            {
                yield return Step.Die("freemark array doesn't have enough entries");
                yield break;
            }

            foreach (var record in SpanObjects(ctx, span, (int)slots))
            {
                yield return record;
            }
        }
    }

    /// <summary>The object records of one in-use span: every slot except the free ones (free: index below nelems with its free bit set).</summary>
    private static IEnumerable<Step> SpanObjects(Context ctx, HeapSpan span, int slots)
    {
        var size = (int)span.ElemSize;
        var words = size / ctx.Ptr;
        return Enumerable.Range(0, slots)
            .Where(j => !(j < span.ElemCount && span.FreeSlots[j]))
            .Select(j => (Step)new ObjectRecord(
                span.Base + ((ulong)j * span.ElemSize),
                GoString.Copy(span.Memory.AsSpan(j * size, size)),
                ObjectFields(ctx, span, j, words)));
    }

    /// <summary>
    /// Go: makeheapobjbv, per era of the heap's pointer metadata. With the 2-bit heap bitmap (up to 1.19) the object's
    /// words from its first, while the scan bit says more pointers follow: from 1.16 every word is tested, 1.7–1.15 never
    /// test word 1 (its high bit was the checkmark), 1.5–1.6 test from word 2 on (words 0 and 1 carried mark bits). With
    /// the 1-bit bitmap (1.20, 1.21) every pointer bit of the slot. From 1.22 what the span and the type say: nothing in a
    /// noscan span, the slot's heap bits for objects up to PtrSize·8·PtrSize bytes, else the type (the header's, 8 bytes
    /// in, or the large span's) laid end to end through the slot.
    /// </summary>
    private static Field[] ObjectFields(Context ctx, HeapSpan span, int slot, int words)
    {
        var first = slot * words;
        var bits = span.Bits;
        IEnumerable<int> candidates;
        if (ctx.Minor >= 22)
        {
            if (span.NoScan)
            {
                return [];
            }

            if (span.ElemSize > (ulong)(ctx.Ptr * ctx.Ptr * 8))
            {
                return TypedFields(ctx, span, slot);
            }

            candidates = Enumerable.Range(0, words);
        }
        else if (ctx.Minor >= 20)
        {
            candidates = Enumerable.Range(0, words);
        }
        else
        {
            var firstTested = ctx.Minor < 7 ? 2 : 0;
            candidates = Enumerable.Range(0, words)
                .TakeWhile(w => w < firstTested || (w == 1 && ctx.Minor < 16) || bits.Scan[first + w]);
        }

        return candidates
            .Where(w => bits.Pointer[first + w])
            .Select(w => Field.Ptr((ulong)w * (ulong)ctx.Ptr))
            .ToArray();
    }

    /// <summary>The type's pointer words at every multiple of its size from where the data starts, inside the slot.</summary>
    private static Field[] TypedFields(Context ctx, HeapSpan span, int slot)
    {
        var large = span.ElemSize > 32768;
        var contents = span.Memory.AsSpan(checked((int)((ulong)slot * span.ElemSize)), checked((int)span.ElemSize));
        var header = large ? 0 : HeaderWord(ctx, contents);
        var type = large ? span.LargeType! : ctx.State.Types.Single(t => t.Address == header);
        var dataStart = large ? 0UL : 8UL;
        var offsets = new List<ulong>();
        for (var at = dataStart; at < span.ElemSize; at += type.Size)
        {
            offsets.AddRange(type.GCMask.SetIndices().Select(w => at + ((ulong)w * (ulong)ctx.Ptr)).Where(o => o < span.ElemSize));
        }

        return offsets.Select(Field.Ptr).ToArray();
    }

    /// <summary>The first pointer-sized word of an object, in the platform's byte order.</summary>
    private static ulong HeaderWord(Context ctx, ReadOnlySpan<byte> contents)
    {
        var word = contents[..ctx.Ptr].ToArray();
        if (ctx.State.Platform.BigEndian)
        {
            Array.Reverse(word);
        }

        return ctx.Ptr == 8 ? BitConverter.ToUInt64(word) : BitConverter.ToUInt32(word);
    }

    // ------------------------------------------------------------------ goroutines

    /// <summary>Go: dumpgs. Dead goroutines are skipped; runnable (1), syscall (3) and waiting (4) are dumped; any other status is fatal.</summary>
    private static IEnumerable<Step> Goroutines(Context ctx)
    {
        foreach (var g in ctx.State.Goroutines)
        {
            // Go 1.26 added the dead-extra status (11), skipped like dead; in 1.26 a running goroutine caught in a system
            // call is written out whole before the runtime dies of its status.
            if (g.Status == GoroutineStatus.Dead || (g.Status == 11 && ctx.Minor >= 26))
            {
                continue;
            }

            if (g.Status is not (GoroutineStatus.Runnable or GoroutineStatus.Syscall or GoroutineStatus.Waiting))
            {
                if (g.Status == 2 && g.SyscallSp != 0 && ctx.Minor >= 26)
                {
                    foreach (var step in GoroutineSteps(ctx, g))
                    {
                        yield return step;
                        if (step.Fatal is not null)
                        {
                            yield break;
                        }
                    }
                }

                // Go: print("runtime: unexpected G.status ", hex(status), "\n"): hex prints 0x and lowercase digits.
                yield return Step.Die("dumpgs in STW - bad status", $"runtime: unexpected G.status 0x{g.Status:x}");
                yield break;
            }

            foreach (var step in GoroutineSteps(ctx, g))
            {
                yield return step;
                if (step.Fatal is not null)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>Go: dumpgoroutine: the goroutine, its frames innermost first, its defers newest first, its panics newest first.</summary>
    private static IEnumerable<Step> GoroutineSteps(Context ctx, Goroutine g)
    {
        var waitReason = g.WaitReason < ctx.State.WaitReasonStrings.Length
            ? ctx.State.WaitReasonStrings[g.WaitReason]
            : (GoString)"unknown wait reason";
        yield return new GoroutineRecord(
            g.Address,
            g.SyscallSp != 0 ? g.SyscallSp : g.SchedSp,
            unchecked((ulong)g.Goid),
            g.Gopc,
            g.Status,
            g.IsSystem,
            IsBackground: false,
            unchecked((ulong)g.WaitSince),
            waitReason,
            g.SchedCtxt,
            g.M,
            g.Defers.FirstOrDefault()?.Address ?? 0,
            g.Panics.FirstOrDefault()?.Address ?? 0);

        foreach (var step in Frames(ctx, g))
        {
            yield return step;
            if (step.Fatal is not null)
            {
                yield break;
            }
        }

        for (var i = 0; i < g.Defers.Length; i++)
        {
            var d = g.Defers[i];
            var link = i + 1 < g.Defers.Length ? g.Defers[i + 1].Address : 0;
            yield return new DeferRecord(d.Address, g.Address, d.Sp, d.Pc, d.Fn?.Address ?? 0, d.Fn?.Entry ?? 0, link);
        }

        for (var i = 0; i < g.Panics.Length; i++)
        {
            var p = g.Panics[i];
            var link = i + 1 < g.Panics.Length ? g.Panics[i + 1].Address : 0;
            yield return new PanicRecord(p.Address, g.Address, p.ArgType, p.ArgData, 0, link);
        }
    }

    /// <summary>
    /// The traceback: frame k has depth k and the child sp of frame k−1. A frame without a function is fatal:
    /// as the first frame ("unknown pc") before any frame is written; as a caller ("unknown caller pc") while
    /// its callee is unwound, i.e. before the callee's record.
    /// </summary>
    private static IEnumerable<Step> Frames(Context ctx, Goroutine g)
    {
        var frames = g.Frames;
        if (frames.Length > 0 && frames[0].Function is null)
        {
            // Go: traceback.go gentraceback prints the goroutine id (an int64) and the pc.
            yield return Step.Die("unknown pc", string.Create(CultureInfo.InvariantCulture, $"runtime: g {g.Goid}: unknown pc 0x{frames[0].Pc:x}"));
            yield break;
        }

        for (var k = 0; k < frames.Length; k++)
        {
            if (k + 1 < frames.Length && frames[k + 1].Function is null)
            {
                // Go: the callee's funcname (empty when it has none) and the return pc, the caller frame's pc.
                yield return Step.Die("unknown caller pc", string.Create(CultureInfo.InvariantCulture, $"runtime: g {g.Goid}: unexpected return pc for {frames[k].Function!.Name} called from 0x{frames[k + 1].Pc:x}"));
                yield break;
            }

            var f = frames[k];
            var name = f.Function!.Name.Length == 0 ? UnknownFunction : f.Function.Name;
            yield return new StackFrameRecord(
                f.Sp,
                (ulong)k,
                k == 0 ? 0 : frames[k - 1].Sp,
                GoString.Copy(f.Contents.AsSpan()),
                f.Function.Entry,
                f.Pc,
                f.ContinuationPc,
                name,
                OutgoingArgFields(ctx, k == 0 ? null : frames[k - 1]).Concat(LocalFields(ctx, f, k == 0 ? 0 : frames[k - 1].ArgLen)).ToArray());
        }
    }

    /// <summary>
    /// The outgoing-arguments part of a frame's fields: the callee's incoming arguments, at the callee's
    /// argp − fp in this frame. Described by the callee's args bitmap (at the callee's stack-map index) when
    /// the callee has args maps, else every word of the callee's arglen bytes. The innermost frame has none.
    /// </summary>
    private static IEnumerable<Field> OutgoingArgFields(Context ctx, StackFrame? callee)
    {
        if (callee is null)
        {
            return [];
        }

        var argOff = ctx.Word(callee.Argp - callee.Fp);
        return callee.Function!.ArgsPointerMaps is { } maps
            ? BitmapFields(ctx, maps.Bitmaps[StackMapIndex(ctx, callee)], argOff)
            : EveryWord(ctx, argOff, ctx.Word(argOff + callee.ArgLen));
    }

    /// <summary>
    /// The locals part: no locals map → every word from the callee's arglen (sic: Go starts there) up to varp;
    /// a size-only map (n &lt; 0) → every word of the −n bytes below varp; bitmaps → the set bits of the bitmap
    /// at this frame's stack-map index, the bitmap ending at varp; a map with no bitmaps → nothing.
    /// </summary>
    private static IEnumerable<Field> LocalFields(Context ctx, StackFrame f, ulong calleeArgLen)
    {
        var top = ctx.Word(f.Varp - f.Sp);
        return f.Function!.LocalsPointerMaps switch
        {
            null => EveryWord(ctx, calleeArgLen, top),
            { Count: < 0 } m => EveryWord(ctx, ctx.Word(f.Varp - (ulong)-(long)m.Count - f.Sp), top),
            { Count: > 0 } m => BitmapFields(ctx, m.Bitmaps[StackMapIndex(ctx, f)], ctx.Word(f.Varp - ((ulong)m.BitCount * (ulong)ctx.Ptr) - f.Sp)),
            _ => [],
        };
    }

    /// <summary>Pointer fields at offset, offset + ptr, … below end (empty when end ≤ offset).</summary>
    private static IEnumerable<Field> EveryWord(Context ctx, ulong offset, ulong end)
    {
        for (var off = offset; off < end && off >= offset; off = ctx.Word(off + (ulong)ctx.Ptr))
        {
            yield return Field.Ptr(off);
        }
    }

    /// <summary>A pointer field at offset + i·ptr for every set bit i.</summary>
    private static IEnumerable<Field> BitmapFields(Context ctx, BitVector bits, ulong offset) =>
        Enumerable.Range(0, bits.Length).Where(i => bits[i]).Select(i => Field.Ptr(ctx.Word(offset + ((ulong)i * (ulong)ctx.Ptr))));

    /// <summary>
    /// The stack-map index dumpframe uses: at the entry PC, or when the PCDATA table has no value at pc − 1, or
    /// when that value is −1, it is 0; otherwise the table's value at pc − 1.
    /// </summary>
    private static int StackMapIndex(Context ctx, StackFrame frame)
    {
        var fn = frame.Function!;
        if (frame.Pc == fn.Entry || fn.StackMapIndex is not { } table)
        {
            return 0;
        }

        var value = ValueAt(table, fn.Entry, ctx.Word(frame.Pc - 1));
        return value is null or -1 ? 0 : value.Value;
    }

    /// <summary>A pc-value table's value at <paramref name="pc"/>: the first run (from the entry) that ends after it; null outside.</summary>
    private static T? ValueAt<T>(PcTable<T> table, ulong entry, ulong pc)
        where T : struct =>
        pc < entry ? null : table.Runs.Where(r => pc < r.End).Select(r => (T?)r.Value).FirstOrDefault();

    // ------------------------------------------------------------------ roots

    /// <summary>Go: dumproots: data, bss, the finalizers of in-use spans' specials, the finalizer queue.</summary>
    private static IEnumerable<Step> Roots(Context ctx)
    {
        var s = ctx.State;
        yield return new DataRecord(s.Data.Address, GoString.Copy(s.Data.Contents.AsSpan()), SegmentFields(ctx, s.Data));
        yield return new BssRecord(s.Bss.Address, GoString.Copy(s.Bss.Contents.AsSpan()), SegmentFields(ctx, s.Bss));
        foreach (var (span, f) in SpecialsOfInUseSpans<FinalizerSpecial>(s))
        {
            yield return new FinalizerRecord(span.Base + f.Offset, f.Fn.Address, f.Fn.Entry, f.ArgType, f.ObjectType);
        }

        foreach (var q in s.FinalizerQueue)
        {
            yield return new QueuedFinalizerRecord(q.Object, q.Fn.Address, q.Fn.Entry, q.ArgType, q.ObjectType);
        }
    }

    private static Field[] SegmentFields(Context ctx, ModuleSegment segment) =>
        BitmapFields(ctx, segment.PointerMask, 0).ToArray();

    private static IEnumerable<(HeapSpan Span, T Special)> SpecialsOfInUseSpans<T>(RuntimeState s)
        where T : SpanSpecial =>
        s.Spans.Where(span => span.State == SpanState.InUse).SelectMany(span => span.Specials.OfType<T>().Select(x => (span, x)));

    // ------------------------------------------------------------------ memstats

    /// <summary>Go: dumpmemstats: the MemStats fields in the order of the exported struct, PauseNs, NumGC.</summary>
    private static MemStatsRecord MemStatsOf(MemStats m) => new(
        new[]
        {
            m.Alloc, m.TotalAlloc, m.Sys, m.Lookups, m.Mallocs, m.Frees,
            m.HeapAlloc, m.HeapSys, m.HeapIdle, m.HeapInuse, m.HeapReleased, m.HeapObjects,
            m.StackInuse, m.StackSys, m.MSpanInuse, m.MSpanSys, m.MCacheInuse, m.MCacheSys,
            m.BuckHashSys, m.GCSys, m.OtherSys, m.NextGC, m.LastGC, m.PauseTotalNs,
        },
        m.PauseNs.ToArray(),
        m.NumGC);

    // ------------------------------------------------------------------ memprof

    /// <summary>Go: dumpmemprof_callback.</summary>
    private static MemProfRecord MemProf(Context ctx, MemProfBucket b) =>
        new(b.Address, b.Size, b.Stack.Select((pc, i) => MemProfFrameOf(ctx, pc, i)).ToArray(), b.Allocs, b.Frees);

    /// <summary>
    /// A stack PC as a frame. A PC in no function of the symbol table is "(0x&lt;lowercase hex&gt;)", "?", 0.
    /// Otherwise the function's name, and the file and line of the PC (of pc − 1 for frames after the first
    /// when pc is past the entry: a return address follows its call); "?", 0 when the function has no line
    /// table, the PC is outside it, the file is unknown or the line is −1. A line is written as uint64(int64).
    /// </summary>
    private static MemProfFrame MemProfFrameOf(Context ctx, ulong pc, int index)
    {
        var fn = ctx.State.Functions.FirstOrDefault(f => f.Entry <= pc && pc < f.End);
        if (fn is null)
        {
            return new MemProfFrame("(0x" + pc.ToString("x", CultureInfo.InvariantCulture) + ")", "?", 0);
        }

        var at = index > 0 && pc > fn.Entry ? pc - 1 : pc;
        var line = fn.Lines is { } table ? ValueAt(table, fn.Entry, at) : null;
        return line is { File: { } file, Line: not -1 } known
            ? new MemProfFrame(fn.Name, file, unchecked((ulong)(long)known.Line))
            : new MemProfFrame(fn.Name, "?", 0);
    }

    /// <summary>Go: dumpmemprof: an alloc sample for every profile special of every in-use span.</summary>
    private static IEnumerable<Step> AllocSamples(Context ctx) =>
        SpecialsOfInUseSpans<ProfileSpecial>(ctx.State).Select(x => (Step)new AllocSampleRecord(x.Span.Base + x.Special.Offset, x.Special.Bucket));

    /// <summary>How the runtime's primitives split each record into dwrite calls (Go: dumpint, dumpbool, dumpmemrange, dumpstr, dumpfields).</summary>
    private static class Dwrites
    {
        public static List<int> Of(HeapDumpRecord record, (int PkgPath, int Name)? splitTypeName)
        {
            var w = new List<int>();
            Int(w, (ulong)record.Kind);
            switch (record)
            {
                case EofRecord:
                    break;
                case ObjectRecord r:
                    Int(w, r.Address); Str(w, r.Contents); Fields(w, r.Fields);
                    break;
                case TypeRecord r:
                    Int(w, r.Address); Int(w, r.Size);
                    if (splitTypeName is { } split)
                    {
                        // Go: dumpint(len), dwrite(pkgpath), dwritebyte('.'), dwrite(name).
                        Int(w, (ulong)r.Name.Length); Bytes(w, split.PkgPath); Bytes(w, 1); Bytes(w, split.Name);
                    }
                    else
                    {
                        Str(w, r.Name);
                    }

                    Int(w, r.IfaceDataIsPointer ? 1UL : 0UL);
                    break;
                case GoroutineRecord r:
                    Ints(w, r.Address, r.Sp, r.Goid, r.Gopc, r.Status, r.IsSystem ? 1UL : 0, r.IsBackground ? 1UL : 0, r.WaitSince);
                    Str(w, r.WaitReason);
                    Ints(w, r.Ctxt, r.M, r.TopDefer, r.TopPanic);
                    break;
                case StackFrameRecord r:
                    Ints(w, r.Sp, r.Depth, r.ChildSp); Str(w, r.Contents); Ints(w, r.EntryPc, r.Pc, r.ContinuationPc); Str(w, r.Name); Fields(w, r.Fields);
                    break;
                case ParamsRecord r:
                    Ints(w, r.BigEndian ? 1UL : 0, r.PtrSize, r.HeapStart, r.HeapEnd);
                    if (r.TheChar is { } theChar)
                    {
                        Int(w, theChar);
                    }
                    else
                    {
                        Str(w, r.Arch!.Value);
                    }

                    Str(w, r.VersionInfo); Int(w, r.Ncpu);
                    break;
                case FinalizerRecordBase r:
                    Ints(w, r.Object, r.Funcval, r.EntryPc, r.ArgType, r.ObjectType);
                    break;
                case ItabRecord r:
                    Ints(w, r.Address, r.TypeAddress);
                    break;
                case OsThreadRecord r:
                    Ints(w, r.Address, r.Id, r.ProcId);
                    break;
                case MemStatsRecord r:
                    foreach (var v in r.Scalars.Concat(r.PauseNs).Append(r.NumGC))
                    {
                        Int(w, v);
                    }

                    break;
                case SegmentRecordBase r:
                    Int(w, r.Address); Str(w, r.Contents); Fields(w, r.Fields);
                    break;
                case DeferRecord r:
                    Ints(w, r.Address, r.Goroutine, r.Sp, r.Pc, r.Funcval, r.EntryPc, r.Link);
                    break;
                case PanicRecord r:
                    Ints(w, r.Address, r.Goroutine, r.ArgType, r.ArgData, r.Defer, r.Link);
                    break;
                case MemProfRecord r:
                    Ints(w, r.Address, r.Size, (ulong)r.Frames.Count);
                    foreach (var f in r.Frames)
                    {
                        Str(w, f.FuncName); Str(w, f.File); Int(w, f.Line);
                    }

                    Ints(w, r.Allocs, r.Frees);
                    break;
                case AllocSampleRecord r:
                    Ints(w, r.Object, r.Bucket);
                    break;
                default:
                    throw new InvalidOperationException($"the runtime never writes {record.Kind}");
            }

            return w;
        }

        /// <summary>Bytes of v's minimal uvarint: 7 bits per byte.</summary>
        public static int UvarintLength(ulong v)
        {
            var n = 1;
            for (; v >= 0x80; v >>= 7)
            {
                n++;
            }

            return n;
        }

        private static void Int(List<int> w, ulong v) => w.Add(UvarintLength(v));

        private static void Ints(List<int> w, params ReadOnlySpan<ulong> values)
        {
            foreach (var v in values)
            {
                Int(w, v);
            }
        }

        /// <summary>A dwrite of n bytes; Go's dwrite returns at once for 0.</summary>
        private static void Bytes(List<int> w, int n)
        {
            if (n > 0)
            {
                w.Add(n);
            }
        }

        private static void Str(List<int> w, GoString s)
        {
            Int(w, (ulong)s.Length);
            Bytes(w, s.Length);
        }

        private static void Fields(List<int> w, EquatableArray<Field> fields)
        {
            foreach (var f in fields)
            {
                Int(w, (ulong)f.Kind);
                Int(w, f.Offset);
            }

            Int(w, 0);
        }
    }
}

/// <summary>
/// The runtime's write buffer as a rule over dwrite lengths (Go: dwrite, flush; bufSize = 4096): a dwrite
/// that fits in what is left of the buffer is appended; one that does not first writes the buffer out (even
/// an empty one), then is written directly when it is 4096 bytes or more, else starts the next buffer. The
/// final flush writes whatever is buffered, possibly nothing.
/// </summary>
public static class WriteCallSpecification
{
    /// <summary>The runtime's buffer size.</summary>
    public const int BufferSize = 4096;

    /// <summary>The write calls (their lengths) for <paramref name="dwrites"/>; with <paramref name="flush"/> the final flush is included.</summary>
    public static ImmutableArray<int> WriteCalls(IEnumerable<int> dwrites, bool flush)
    {
        ArgumentNullException.ThrowIfNull(dwrites);
        var calls = ImmutableArray.CreateBuilder<int>();
        var pending = 0;
        foreach (var len in dwrites)
        {
            if (pending + len <= BufferSize)
            {
                pending += len;
            }
            else if (len >= BufferSize)
            {
                calls.Add(pending);
                calls.Add(len);
                pending = 0;
            }
            else
            {
                calls.Add(pending);
                pending = len;
            }
        }

        if (flush)
        {
            calls.Add(pending);
        }

        return calls.ToImmutable();
    }

    /// <summary>Describes a list of write calls compactly for failure messages.</summary>
    public static string Describe(IEnumerable<int> calls) =>
        new StringBuilder().AppendJoin(' ', calls ?? []).ToString();
}
