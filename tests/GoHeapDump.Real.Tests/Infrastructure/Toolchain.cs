namespace GoHeapDump.Real.Tests.Infrastructure;

/// <summary>
/// Programs the real-dump tests run (go, gccgo-12, qemu-user-static), and the skip-or-fail policy: without a tool a test
/// skips and says why; in CI (<c>GOHEAPDUMP_CI=1</c>, set by <c>.ci/run</c>, which installs them) a missing tool fails.
/// </summary>
internal static class Toolchain
{
    /// <summary>True in CI: a missing tool is a broken CI setup, not a reason to skip.</summary>
    public static bool IsCi => Environment.GetEnvironmentVariable("GOHEAPDUMP_CI") == "1";

    /// <summary>
    /// True when the live category should build and run Go programs: <c>GOHEAPDUMP_LIVE=1</c>, or CI. Opt-in because a
    /// live run costs about 40 s with warm Go caches and minutes cold (each cross target compiles its standard library),
    /// which would take the default <c>dotnet test</c> past its two-minute budget.
    /// </summary>
    public static bool LiveEnabled => IsCi || Environment.GetEnvironmentVariable("GOHEAPDUMP_LIVE") == "1";

    /// <summary>The full path of <paramref name="program"/> on PATH, or null.</summary>
    public static string? FindOnPath(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Skips the test with <paramref name="reason"/> when <paramref name="present"/> is false; in CI fails it.</summary>
    public static void Require(bool present, string reason)
    {
        if (present)
        {
            return;
        }

        if (IsCi)
        {
            Assert.Fail($"{reason} (GOHEAPDUMP_CI=1: .ci/run must install it)");
        }

        Skip.If(true, reason);
    }

    /// <summary>The go command, or a skip (a failure in CI) naming the Debian package.</summary>
    public static string RequireGo()
    {
        var go = FindOnPath("go");
        Require(go is not null, "go is not on PATH (Debian package golang-go)");
        return go!;
    }
}
