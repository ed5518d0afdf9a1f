namespace GoHeapDump.Reference;

public sealed partial class HeapDumpWriter
{
    /// <summary>
    /// Go: heapdump.go dumpparams. The heap range is the bounding box of the arenas in use, visited in
    /// (L1, L2) order, i.e. ascending index, in pointer-width arithmetic with the runtime's quirks: an arena
    /// based at address 0 does not hold the start (0 means "unset"), and an end that wraps to 0 is not taken.
    /// </summary>
    private void DumpParams()
    {
        var platform = _state.Platform;
        var geometry = platform.Arenas;
        DumpInt((ulong)RecordKind.Params);
        DumpBool(platform.BigEndian);
        DumpInt((ulong)_ptrSize);

        ulong arenaStart = 0, arenaEnd = 0;
        foreach (var index in _state.Arenas)
        {
            // Go: mheap.go arenaBase(i) = uintptr(i)*heapArenaBytes + arenaBaseOffset.
            var arenaBase = ((index * geometry.HeapArenaBytes) + geometry.BaseOffset) & _mask;
            if (arenaStart == 0 || arenaBase < arenaStart)
            {
                arenaStart = arenaBase;
            }

            var limit = (arenaBase + geometry.HeapArenaBytes) & _mask;
            if (limit > arenaEnd)
            {
                arenaEnd = limit;
            }
        }

        DumpInt(arenaStart);
        DumpInt(arenaEnd);
        if (_release.ArchAsTheChar)
        {
            DumpInt(ReleaseProfile.TheChar(platform.Goarch.ToString()));
        }
        else
        {
            DumpStr(platform.Goarch);
        }

        DumpStr(platform.VersionInfo); // Go: goexperiment until 1.16, buildVersion since 1.17
        DumpInt((ulong)(long)platform.Ncpu); // Go: uint64(ncpu), ncpu an int32
    }
}
