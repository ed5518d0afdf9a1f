namespace GoHeapDump;

// Where each record kind keeps its scalar values in HeapDumpRecordView.Values: every uvarint and bool of
// the record except string lengths, field lists and memprof frames. Wire order, except that params keep
// ncpu at a fixed index whether the architecture was a string (go1.7) or a thechar (go1.5/go1.6).
// One class per kind, named after the record type, so a rule reads v[GoroutineValues.Sp].

/// <summary>Value indices of an object record (tag 1). Contents and fields are separate.</summary>
public static class ObjectValues
{
    public const int Address = 0;
    public const int Count = 1;
}

/// <summary>Value indices of an other-root record (tag 2). The description is <see cref="HeapDumpRecordView.Text"/>.</summary>
public static class OtherRootValues
{
    public const int Pointer = 0;
    public const int Count = 1;
}

/// <summary>Value indices of a type record (tag 3). The name is <see cref="HeapDumpRecordView.Text"/>.</summary>
public static class TypeValues
{
    public const int Address = 0;
    public const int Size = 1;
    public const int IfaceDataIsPointer = 2;
    public const int Count = 3;
}

/// <summary>Value indices of a goroutine record (tag 4). The wait reason is <see cref="HeapDumpRecordView.Text"/>.</summary>
public static class GoroutineValues
{
    public const int Address = 0;
    public const int Sp = 1;
    public const int Goid = 2;
    public const int Gopc = 3;
    public const int Status = 4;
    public const int IsSystem = 5;
    public const int IsBackground = 6;
    public const int WaitSince = 7;
    public const int Ctxt = 8;
    public const int M = 9;
    public const int TopDefer = 10;
    public const int TopPanic = 11;
    public const int Count = 12;
}

/// <summary>Value indices of a stack frame record (tag 5). Contents, name (<see cref="HeapDumpRecordView.Text"/>) and fields are separate.</summary>
public static class StackFrameValues
{
    public const int Sp = 0;
    public const int Depth = 1;
    public const int ChildSp = 2;
    public const int EntryPc = 3;
    public const int Pc = 4;
    public const int ContinuationPc = 5;
    public const int Count = 6;
}

/// <summary>Value indices of a params record (tag 6). The arch string (go1.7) is <see cref="HeapDumpRecordView.Text"/>, the version info <see cref="HeapDumpRecordView.Text2"/>.</summary>
public static class ParamsValues
{
    public const int BigEndian = 0;
    public const int PtrSize = 1;
    public const int HeapStart = 2;
    public const int HeapEnd = 3;
    public const int Ncpu = 4;

    /// <summary>go1.5/go1.6 headers only; 0 for go1.7.</summary>
    public const int TheChar = 5;
    public const int Count = 6;
}

/// <summary>Value indices of a registered (tag 7) or queued (tag 11) finalizer record.</summary>
public static class FinalizerValues
{
    public const int Object = 0;
    public const int Funcval = 1;
    public const int EntryPc = 2;
    public const int ArgType = 3;
    public const int ObjectType = 4;
    public const int Count = 5;
}

/// <summary>Value indices of an itab record (tag 8).</summary>
public static class ItabValues
{
    public const int Address = 0;
    public const int TypeAddress = 1;
    public const int Count = 2;
}

/// <summary>Value indices of an OS thread record (tag 9).</summary>
public static class OsThreadValues
{
    public const int Address = 0;
    public const int Id = 1;
    public const int ProcId = 2;
    public const int Count = 3;
}

/// <summary>Value indices of a memstats record (tag 10): the 24 scalars, PauseNs[256], NumGC.</summary>
public static class MemStatsValues
{
    public const int PauseNs = MemStatsRecord.ScalarCount;
    public const int NumGC = PauseNs + HeapDumpFormat.PauseNsCount;
    public const int Count = HeapDumpFormat.MemStatsValueCount;
}

/// <summary>Value indices of a data (tag 12) or bss (tag 13) record. Contents and fields are separate.</summary>
public static class SegmentValues
{
    public const int Address = 0;
    public const int Count = 1;
}

/// <summary>Value indices of a defer record (tag 14).</summary>
public static class DeferValues
{
    public const int Address = 0;
    public const int Goroutine = 1;
    public const int Sp = 2;
    public const int Pc = 3;
    public const int Funcval = 4;
    public const int EntryPc = 5;
    public const int Link = 6;
    public const int Count = 7;
}

/// <summary>Value indices of a panic record (tag 15).</summary>
public static class PanicValues
{
    public const int Address = 0;
    public const int Goroutine = 1;
    public const int ArgType = 2;
    public const int ArgData = 3;
    public const int Defer = 4;
    public const int Link = 5;
    public const int Count = 6;
}

/// <summary>Value indices of a memprof record (tag 16). The frames are <see cref="HeapDumpRecordView.MemProfFrames"/>.</summary>
public static class MemProfValues
{
    public const int Address = 0;
    public const int Size = 1;
    public const int FrameCount = 2;
    public const int Allocs = 3;
    public const int Frees = 4;
    public const int Count = 5;
}

/// <summary>Value indices of an alloc sample record (tag 17).</summary>
public static class AllocSampleValues
{
    public const int Object = 0;
    public const int Bucket = 1;
    public const int Count = 2;
}
