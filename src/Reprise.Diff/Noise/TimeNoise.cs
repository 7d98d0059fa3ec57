namespace Reprise.Diff.Noise;

/// <summary>When two values of one time format are noise (the <c>format</c> rule's times; <c>--time-noise</c>, <c>timeNoise:</c>).</summary>
public enum TimeNoise
{
    /// <summary>
    /// Two times a whole non-zero number of quarter hours apart are noise only when the runs' own time shift explains it
    /// (<see cref="RunClock"/>): a lost time zone or a due date a day off is a difference. The default.
    /// </summary>
    Runs,

    /// <summary>
    /// Any two times of one format are noise, however far apart: for data holding times written when the instance was
    /// set up (seeded records), which move with the setup, not with the runs.
    /// </summary>
    Any,
}
