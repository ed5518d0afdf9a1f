using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

public sealed partial class HeapDumpWriter
{
    /// <summary>
    /// Go: heapdump.go dumproots: the first module's data and bss with their pointer masks, the finalizers
    /// registered on objects of in-use spans (from the span specials, in span then list order), then the
    /// finalizer queue (finq_callback).
    /// </summary>
    private void DumpRoots()
    {
        DumpSegment(RecordKind.Data, _state.Data);
        DumpSegment(RecordKind.Bss, _state.Bss);

        foreach (var (spanBase, special) in _spans.Specials())
        {
            if (special is FinalizerSpecial f)
            {
                DumpFinalizer(RecordKind.Finalizer, spanBase + f.Offset, f.Fn, f.ArgType, f.ObjectType);
            }
        }

        foreach (var q in _state.FinalizerQueue)
        {
            DumpFinalizer(RecordKind.QueuedFinalizer, q.Object, q.Fn, q.ArgType, q.ObjectType);
        }
    }

    private void DumpSegment(RecordKind kind, ModuleSegment segment)
    {
        DumpInt((ulong)kind);
        DumpInt(segment.Address);
        DumpMemRange(segment.Contents.AsSpan());
        DumpFields(segment.PointerMask);
    }

    /// <summary>Go: heapdump.go dumpfinalizer and finq_callback (same fields).</summary>
    private void DumpFinalizer(RecordKind kind, ulong obj, FuncVal fn, ulong fint, ulong ot)
    {
        DumpInt((ulong)kind);
        DumpInt(obj);
        DumpInt(fn.Address);
        DumpInt(fn.Entry);
        DumpInt(fint);
        DumpInt(ot);
    }
}
