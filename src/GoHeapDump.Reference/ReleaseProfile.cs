using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

/// <summary>How a release's <c>makeheapobjbv</c> turns an object into pointer fields.</summary>
internal enum HeapFieldList
{
    /// <summary>Go 1.5–1.6: the 2-bit heap bitmap; words 0 and 1 carry the mark and checkmark bits, so the end-of-object test starts at word 2.</summary>
    ScanFromWord2,

    /// <summary>Go 1.7–1.15: the 2-bit heap bitmap; word 1's high bit is the checkmark, so word 1 never ends the object.</summary>
    ScanSkipWord1,

    /// <summary>Go 1.16–1.19: the 2-bit heap bitmap; the first word whose scan bit is clear ends the object.</summary>
    ScanEveryWord,

    /// <summary>Go 1.20–1.21: the 1-bit heap bitmap, every pointer bit of the slot (heapBitsForAddr(p, size).next()).</summary>
    PointerBits,

    /// <summary>Go 1.22+: typePointersOf(p, size): heap bits in the span for small objects, else the header's or the span's type repeated to the slot's end.</summary>
    TypePointers,
}

/// <summary>
/// What the dump algorithm of one Go release does differently from the others: one place that turns the state's
/// release into the writer's branches. Facts from runtime/heapdump.go of each release (1.5 and 1.7-era trees via
/// their stored sources, 1.19–1.27 installed); the boundaries marked [U] in spec/FORMAT.md are believed, not read.
/// </summary>
internal sealed record ReleaseProfile(
    byte[] Header,
    bool ArchAsTheChar,
    bool ItabTypeIsPtrTo,
    bool GenericTypeNames,
    HeapFieldList FieldList,
    bool DumpgsKnowsRunningAndDeadExtra)
{
    public static ReleaseProfile Of(GoRelease release)
    {
        var minor = release.Major > 1 ? int.MaxValue : release.Minor;
        return new ReleaseProfile(
            // Go: heapdump.go dumphdr: "go1.5 heap dump\n" in 1.5, "go1.6 …" in 1.6, "go1.7 …" since (the last format change).
            Header: minor <= 6 ? System.Text.Encoding.ASCII.GetBytes($"go1.{Math.Max(5, minor)} heap dump\n") : "go1.7 heap dump\n"u8.ToArray(),
            // Go 1.5/1.6 dumpparams: dumpint(thechar); 1.7+: dumpstr(GOARCH).
            ArchAsTheChar: minor < 7,
            // Go 1.5/1.6 itab_callback: the type of the itab's data word, *T for a type not stored directly in an interface.
            ItabTypeIsPtrTo: minor < 7,
            // Go 1.18 type.go name(): the last '.' outside square brackets (type arguments).
            GenericTypeNames: minor >= 18,
            FieldList: minor switch
            {
                < 7 => HeapFieldList.ScanFromWord2,
                < 16 => HeapFieldList.ScanSkipWord1,
                < 20 => HeapFieldList.ScanEveryWord,
                < 22 => HeapFieldList.PointerBits,
                _ => HeapFieldList.TypePointers,
            },
            // Go 1.26 dumpgs: _Gdeadextra is skipped like _Gdead; a _Grunning goroutine in a system call is dumped, then the
            // dump throws as for any other status [U: 1.25 not read].
            DumpgsKnowsRunningAndDeadExtra: minor >= 26);
    }

    /// <summary>Go 1.5/1.6 runtime/zgoarch_*.go thechar, by GOARCH.</summary>
    public static ulong TheChar(string goarch) => goarch switch
    {
        "amd64" => '6',
        "386" => '8',
        "arm" => '5',
        "arm64" => '7',
        "ppc64" or "ppc64le" => '9',
        "mips64" or "mips64le" => '0',
        _ => throw new InvalidOperationException($"GOARCH {goarch} has no thechar"),
    };
}
