namespace GoHeapDump.Real.Tests.Checking;

/// <summary>
/// What a producer writes, as far as the manifest checks depend on it: the checks of a kind the producer does
/// not write are replaced by a check that it wrote none (fixtures/producers/go/README.md, "Facts observed per
/// producer"; spec/FORMAT.md, "What varies between Go versions and producers").
/// </summary>
/// <param name="Compiler">The manifest's <c>go.compiler</c>: <c>gc</c> or <c>gccgo</c>.</param>
/// <param name="WritesStackFrames">gc writes a frame record per stack frame; gccgo (libgo) none.</param>
/// <param name="WritesTypesAndItabs">gc writes itab and type records; gccgo none.</param>
/// <param name="WritesDataAndBss">gc writes the first module's data and bss; gccgo none (finalizers are its only roots).</param>
/// <param name="ListsInterfaceTabWord">Whether an interface value's first word (itab or type) is a pointer field of its
/// object: gc lists only the data word (Go: cmd/compile/internal/typebits, TINTER), gccgo both.</param>
/// <param name="VersionInfoIsRuntimeVersion">params' version string equals <c>runtime.Version()</c>: gc 1.17+ writes the
/// build version (Go: runtime/heapdump.go dumpparams, buildVersion); gccgo 12 writes <c>unknown</c>, which is also what its
/// runtime.Version() returns, but other gccgo releases are not known to agree, so it is not checked.</param>
/// <param name="GoroutineSpIsFrameSp">A goroutine's sp equals its depth-0 frame's sp (only where frames are written).</param>
public sealed record ProducerProfile(
    string Compiler,
    bool WritesStackFrames,
    bool WritesTypesAndItabs,
    bool WritesDataAndBss,
    bool ListsInterfaceTabWord,
    bool VersionInfoIsRuntimeVersion,
    bool GoroutineSpIsFrameSp)
{
    /// <summary>The gc toolchain's runtime (every release the probes build with: Go 1.18+).</summary>
    public static ProducerProfile Gc { get; } = new("gc", true, true, true, false, true, true);

    /// <summary>gccgo's libgo runtime (checked with gccgo 12.2).</summary>
    public static ProducerProfile Gccgo { get; } = new("gccgo", false, false, false, true, false, false);

    /// <summary>The profile for a manifest's <c>go.compiler</c>.</summary>
    /// <exception cref="ArgumentException">A compiler the suite knows nothing about.</exception>
    public static ProducerProfile For(string compiler) => compiler switch
    {
        "gc" => Gc,
        "gccgo" => Gccgo,
        _ => throw new ArgumentException($"unknown compiler \"{compiler}\" (known: gc, gccgo)", nameof(compiler)),
    };
}
