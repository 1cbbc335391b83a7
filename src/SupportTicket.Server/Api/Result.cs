using System.Diagnostics.CodeAnalysis;
using SupportTicket.Server.Errors;

namespace SupportTicket.Server.Api;

public readonly record struct Result<T>(T? Value, ApiError? Error)
{
    // Lets callers use Value and Error without `!` after checking Ok. With a nullable T (RevocationDto?: null means
    // "already revoked") Value may still be null when Ok; such callers test it themselves.
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Ok => Error is null;
    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(ApiError error) => new(default, error);
}
