using System.Globalization;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace GoHeapDump.Properties.Tests;

/// <summary>
/// Runs a property over generated states with FsCheck, with the suite's case counts and replay support.
/// </summary>
/// <remarks>
/// <para>Case counts: each property has a quick default that keeps the whole project fast;
/// <c>GOHEAPDUMP_PROPERTY_CASES=N</c> runs every property N times instead (deep mode, e.g. 100000).</para>
/// <para>Replay: a failure reports FsCheck's seed. <c>GOHEAPDUMP_PROPERTY_REPLAY="(seed,gamma)"</c> replays it
/// (the failing case comes first), and a regression test pins it by passing the same string as
/// <c>replay</c>.</para>
/// </remarks>
public static partial class PropertyRunner
{
    /// <summary>Environment variable: the number of cases per property (deep mode).</summary>
    public const string CasesVariable = "GOHEAPDUMP_PROPERTY_CASES";

    /// <summary>Environment variable: an FsCheck replay seed "(seed,gamma)" for every property run.</summary>
    public const string ReplayVariable = "GOHEAPDUMP_PROPERTY_REPLAY";

    /// <summary>Cases for a property whose quick default is <paramref name="quick"/>.</summary>
    public static int Cases(int quick) =>
        int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : quick;

    /// <summary>
    /// Checks <paramref name="body"/> (which throws to fail) on <paramref name="quickCases"/> states from
    /// <paramref name="states"/> (or the deep-mode count); on failure throws <see cref="PropertyFailedException"/>
    /// with FsCheck's report (original and shrunk state) and the commands to replay and pin it.
    /// </summary>
    public static void Check<T>(string name, Arbitrary<T> states, Action<T> body, int quickCases, string? replay = null, int? maxTest = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(maxTest ?? Cases(quickCases))
            .WithQuietOnSuccess(true)
            .WithName(name);
        var replaySeed = replay ?? Environment.GetEnvironmentVariable(ReplayVariable);
        if (!string.IsNullOrWhiteSpace(replaySeed))
        {
            config = config.WithReplay(FSharpOption<Replay>.Some(ParseReplay(replaySeed)));
        }

        try
        {
            Prop.ForAll(states, body).Check(config);
        }
        catch (Exception e) when (e is not PropertyFailedException)
        {
            var seed = SeedPattern().Match(e.Message) is { Success: true } m ? m.Value : "(see the FsCheck report above)";
            throw new PropertyFailedException(
                $"""
                Property '{name}' failed.
                {e.Message}
                Replay:  {ReplayVariable}="{seed}" dotnet test tests/GoHeapDump.Properties.Tests --filter "FullyQualifiedName~{name}"
                Pin:     a regression [Fact] calling PropertyRunner.Check(..., replay: "{seed}") in the property's class, named after what it found.
                """,
                e);
        }
    }

    /// <summary>Parses "(seed,gamma)" or "(seed,gamma,size)" as FsCheck prints it.</summary>
    public static Replay ParseReplay(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Trim('(', ')').Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length is < 2 or > 3)
        {
            throw new ArgumentException($"a replay seed looks like (seed,gamma) or (seed,gamma,size), got '{text}'", nameof(text));
        }

        var rnd = new Rnd(ulong.Parse(parts[0], CultureInfo.InvariantCulture), ulong.Parse(parts[1], CultureInfo.InvariantCulture));
        var size = parts.Length == 3 ? FSharpOption<int>.Some(int.Parse(parts[2], CultureInfo.InvariantCulture)) : FSharpOption<int>.None;
        return new Replay(rnd, size);
    }

    [GeneratedRegex(@"\(\d+,\s*\d+(,\s*\d+)?\)")]
    private static partial Regex SeedPattern();
}

/// <summary>A property found a counterexample; the message holds the shrunk state and how to replay it.</summary>
public sealed class PropertyFailedException : Exception
{
    public PropertyFailedException()
    {
    }

    public PropertyFailedException(string message)
        : base(message)
    {
    }

    public PropertyFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
