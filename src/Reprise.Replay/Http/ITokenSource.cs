namespace Reprise.Replay.Http;

/// <summary>Supplies the bearer token sent on every request; refreshed once when the target answers 401.</summary>
public interface ITokenSource
{
    /// <summary>The current token (fetched on first use).</summary>
    ValueTask<string> GetAsync(CancellationToken cancellationToken);

    /// <summary>A fresh token, unless another caller already replaced <paramref name="stale"/>.</summary>
    ValueTask<string> RefreshAsync(string stale, CancellationToken cancellationToken);
}
