namespace GoHeapDump.Reference;

public sealed partial class HeapDumpWriter
{
    /// <summary>Go: heapdump.go dumpmemstats: 24 scalars in MemStats order, PauseNs[256], NumGC.</summary>
    private void DumpMemStats()
    {
        var m = _state.MemStats;
        DumpInt((ulong)RecordKind.MemStats);
        DumpInt(m.Alloc);
        DumpInt(m.TotalAlloc);
        DumpInt(m.Sys);
        DumpInt(m.Lookups);
        DumpInt(m.Mallocs);
        DumpInt(m.Frees);
        DumpInt(m.HeapAlloc);
        DumpInt(m.HeapSys);
        var swapped = (_faults & WriterFaults.MemStatsSwapped) != 0;
        DumpInt(swapped ? m.HeapInuse : m.HeapIdle);
        DumpInt(swapped ? m.HeapIdle : m.HeapInuse);
        DumpInt(m.HeapReleased);
        DumpInt(m.HeapObjects);
        DumpInt(m.StackInuse);
        DumpInt(m.StackSys);
        DumpInt(m.MSpanInuse);
        DumpInt(m.MSpanSys);
        DumpInt(m.MCacheInuse);
        DumpInt(m.MCacheSys);
        DumpInt(m.BuckHashSys);
        DumpInt(m.GCSys);
        DumpInt(m.OtherSys);
        DumpInt(m.NextGC);
        DumpInt(m.LastGC);
        DumpInt(m.PauseTotalNs);
        foreach (var pause in m.PauseNs)
        {
            DumpInt(pause);
        }

        DumpInt(m.NumGC);
    }
}
