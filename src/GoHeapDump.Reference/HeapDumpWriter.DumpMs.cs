namespace GoHeapDump.Reference;

public sealed partial class HeapDumpWriter
{
    /// <summary>Go: heapdump.go dumpms: one OS-thread record per M, in allm order.</summary>
    private void DumpMs()
    {
        foreach (var mp in _state.Threads)
        {
            DumpInt((ulong)RecordKind.OsThread);
            DumpInt(mp.Address);
            DumpInt((ulong)mp.Id); // Go: uint64(mp.id), id an int64
            DumpInt(mp.ProcId);
        }
    }
}
