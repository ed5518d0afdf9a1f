using GoHeapDump.Properties.Tests.Generators;
using GoHeapDump.Reference;
using GoHeapDump.Runtime;

namespace GoHeapDump.Properties.Tests.Properties;

/// <summary>
/// Facts about the parsed dump that hold whatever the details of the algorithm, checked on the records the
/// Kaitai parser reads from the writer's bytes (no specification function involved): heap coverage, the
/// shape of each goroutine's records, references that must point backwards, and the singletons.
/// </summary>
public sealed class SemanticFactsProperties
{
    internal const int QuickCases = 150;

    [Fact]
    public void Dump_EveryAllocatedSlot_AppearsExactlyOnceWithItsBytesAndPointers() =>
        PropertyRunner.Check(nameof(Dump_EveryAllocatedSlot_AppearsExactlyOnceWithItsBytesAndPointers), HeapArbitraries.ValidState(), g => EveryAllocatedSlotOnce(g, WriterFaults.None), QuickCases);

    [Fact]
    public void Dump_EachGoroutine_IsFollowedByItsFramesThenDefersThenPanics() =>
        PropertyRunner.Check(nameof(Dump_EachGoroutine_IsFollowedByItsFramesThenDefersThenPanics), HeapArbitraries.ValidState(), g => GoroutineShape(g, WriterFaults.None), QuickCases);

    [Fact]
    public void Dump_References_PointToEarlierRecords() =>
        PropertyRunner.Check(nameof(Dump_References_PointToEarlierRecords), HeapArbitraries.ValidState(), g => ReferencesPointBack(g, WriterFaults.None), QuickCases);

    [Fact]
    public void Dump_Singletons_ExactlyOneParamsMemStatsAndEof() =>
        PropertyRunner.Check(nameof(Dump_Singletons_ExactlyOneParamsMemStatsAndEof), HeapArbitraries.ValidState(), g => Singletons(g, WriterFaults.None), QuickCases);

    private static List<HeapDumpRecord> Parse(GeneratedState g, WriterFaults faults)
    {
        var run = Dumps.Write(g.State, faults);
        var parse = Dumps.ParseKaitai(run.Bytes);
        Check(run.Fatal is null && parse.Error is null, $"no complete dump: writer {run.Fatal?.Message}, parser {parse.Error?.Message}");
        return parse.Records;
    }

    /// <summary>Every slot of every in-use span, except the free ones, is one object record with the slot's bytes and the pointer words of its scanned prefix; nothing else is an object.</summary>
    internal static void EveryAllocatedSlotOnce(GeneratedState g, WriterFaults faults)
    {
        var objects = Parse(g, faults).OfType<ObjectRecord>().ToList();
        var byAddress = objects.GroupBy(o => o.Address).ToDictionary(x => x.Key, x => x.ToList());
        var ptr = g.State.Platform.PtrSize;
        var expected = 0;
        foreach (var span in g.State.Spans.Where(s => s.State == SpanState.InUse))
        {
            var size = (int)span.ElemSize;
            for (var j = 0; (ulong)j < span.ByteCount / span.ElemSize; j++)
            {
                var address = span.Base + ((ulong)j * span.ElemSize);
                var free = j < span.ElemCount && span.FreeSlots[j];
                byAddress.TryGetValue(address, out var found);
                if (free)
                {
                    Check(found is null, $"free slot {j} of the span at 0x{span.Base:x} was dumped");
                    continue;
                }

                expected++;
                Check(found is { Count: 1 }, $"allocated slot {j} of the span at 0x{span.Base:x} (0x{address:x}) appears {found?.Count ?? 0} times");
                var o = found![0];
                Check(o.Contents.Span.SequenceEqual(span.Memory.AsSpan(j * size, size)), $"object 0x{address:x}: contents differ from the slot's bytes");
                // The field lists of the 2-bit (1.16–1.19) and 1-bit (1.20, 1.21) heap bitmaps; the other eras' are
                // ParseEqualsSpecification's.
                var release = g.State.Release;
                if (!release.IsAtLeast(1, 16) || release.IsAtLeast(1, 22))
                {
                    continue;
                }

                var words = size / ptr;
                var pointers = new List<ulong>();
                var oneBit = release.IsAtLeast(1, 20);
                for (var w = 0; w < words && (oneBit || span.Bits.Scan[(j * words) + w]); w++)
                {
                    if (span.Bits.Pointer[(j * words) + w])
                    {
                        pointers.Add((ulong)(w * ptr));
                    }
                }

                Check(o.Fields.Select(f => f.Offset).SequenceEqual(pointers) && o.Fields.All(f => f.Kind == FieldKind.Ptr), $"object 0x{address:x}: fields [{string.Join(",", o.Fields)}], the heap bitmap of go{release} says [{string.Join(",", pointers)}]");
            }
        }

        Check(objects.Count == expected, $"{objects.Count} object records for {expected} allocated slots");
    }

    /// <summary>
    /// Each goroutine record is followed by its frames (depths 0..n−1, each child sp the sp of the frame below,
    /// the goroutine's sp the depth-0 frame's, or one word below it when the traceback pc is 0 on x86 and wasm), then its defers (its own, linked newest to oldest from the
    /// goroutine's top defer), then its panics likewise, before the next goroutine; dead goroutines are absent.
    /// </summary>
    internal static void GoroutineShape(GeneratedState g, WriterFaults faults)
    {
        var records = Parse(g, faults);
        var live = g.State.Goroutines.Where(x => x.Status != GoroutineStatus.Dead).ToList();
        var starts = records.Select((r, i) => (r, i)).Where(x => x.r is GoroutineRecord).Select(x => x.i).ToList();
        Check(starts.Count == live.Count, $"{starts.Count} goroutine records for {live.Count} goroutines that are not dead");
        for (var n = 0; n < starts.Count; n++)
        {
            var gr = (GoroutineRecord)records[starts[n]];
            var model = live[n];
            Check(gr.Address == model.Address, $"goroutine #{n} is 0x{gr.Address:x}, expected 0x{model.Address:x} (allgs order)");
            var i = starts[n] + 1;
            var frames = new List<StackFrameRecord>();
            for (; i < records.Count && records[i] is StackFrameRecord f; i++)
            {
                frames.Add(f);
            }

            Check(frames.Count == model.Frames.Length, $"goroutine 0x{gr.Address:x}: {frames.Count} frames follow it, it has {model.Frames.Length}");
            for (var k = 0; k < frames.Count; k++)
            {
                Check(frames[k].Depth == (ulong)k, $"goroutine 0x{gr.Address:x}: frame #{k} has depth {frames[k].Depth}");
                Check(frames[k].ChildSp == (k == 0 ? 0 : frames[k - 1].Sp), $"goroutine 0x{gr.Address:x}: frame #{k} child sp 0x{frames[k].ChildSp:x}, the frame below has sp 0x{(k == 0 ? 0 : frames[k - 1].Sp):x}");
            }

            var firstSp = StateGenerator.FirstFrameSp(g.State.Platform, model);
            Check(frames.Count == 0 || frames[0].Sp == firstSp, $"goroutine 0x{gr.Address:x}: sp 0x{gr.Sp:x}, its depth-0 frame 0x{frames.FirstOrDefault()?.Sp:x}, expected 0x{firstSp:x}");
            var expectLink = gr.TopDefer;
            for (; i < records.Count && records[i] is DeferRecord d; i++)
            {
                Check(d.Goroutine == gr.Address && d.Address == expectLink, $"goroutine 0x{gr.Address:x}: defer 0x{d.Address:x} of 0x{d.Goroutine:x} out of chain (expected 0x{expectLink:x})");
                expectLink = d.Link;
            }

            Check(expectLink == 0, $"goroutine 0x{gr.Address:x}: the defer chain stops at a link to 0x{expectLink:x}");
            expectLink = gr.TopPanic;
            for (; i < records.Count && records[i] is PanicRecord p; i++)
            {
                Check(p.Goroutine == gr.Address && p.Address == expectLink && p.Defer == 0, $"goroutine 0x{gr.Address:x}: panic 0x{p.Address:x} of 0x{p.Goroutine:x} out of chain (expected 0x{expectLink:x})");
                expectLink = p.Link;
            }

            Check(expectLink == 0, $"goroutine 0x{gr.Address:x}: the panic chain stops at a link to 0x{expectLink:x}");
            Check(i == records.Count || records[i] is GoroutineRecord or OsThreadRecord or DataRecord, $"goroutine 0x{gr.Address:x}: followed by {records[i].Kind} after its frames, defers and panics");
        }

        Check(!records.Any(r => r is StackFrameRecord or DeferRecord or PanicRecord) || starts.Count > 0, "frames, defers or panics without a goroutine");
    }

    /// <summary>Every itab's type has a type record earlier; every alloc sample names a memprof bucket written earlier; every finalizer names an object.</summary>
    internal static void ReferencesPointBack(GeneratedState g, WriterFaults faults)
    {
        var records = Parse(g, faults);
        var types = new HashSet<ulong>();
        var buckets = new HashSet<ulong>();
        foreach (var r in records)
        {
            switch (r)
            {
                case TypeRecord t:
                    types.Add(t.Address);
                    break;
                case ItabRecord i:
                    Check(i.TypeAddress == 0 || types.Contains(i.TypeAddress), $"itab 0x{i.Address:x} names type 0x{i.TypeAddress:x} before any type record for it");
                    break;
                case MemProfRecord m:
                    buckets.Add(m.Address);
                    break;
                case AllocSampleRecord a:
                    Check(buckets.Contains(a.Bucket), $"alloc sample of 0x{a.Object:x} names bucket 0x{a.Bucket:x}, not written before it");
                    break;
            }
        }
    }

    /// <summary>Exactly one params record (the first), one memstats, one EOF (the last).</summary>
    internal static void Singletons(GeneratedState g, WriterFaults faults)
    {
        var records = Parse(g, faults);
        Check(records.Count(r => r is ParamsRecord) == 1 && records[0] is ParamsRecord, "params is not the one first record");
        Check(records.Count(r => r is MemStatsRecord) == 1, $"{records.Count(r => r is MemStatsRecord)} memstats records");
        Check(records.Count(r => r is EofRecord) == 1 && records[^1] is EofRecord, "EOF is not the one last record");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
