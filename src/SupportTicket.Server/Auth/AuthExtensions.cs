using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SupportTicket.Server.Auth.Revocations;
using SupportTicket.Server.Errors;

namespace SupportTicket.Server.Auth;

internal static class AuthExtensions
{
    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        // Resolved lazily so that configuration from any source (tests included) is seen; StartupChecks
        // resolves it at startup so a bad key still fails before the first request.
        services.AddSingleton(sp => SigningKeys.Load(
            sp.GetRequiredService<IOptions<AuthOptions>>().Value,
            sp.GetRequiredService<IHostEnvironment>().IsDevelopment(),
            sp.GetRequiredService<DataDirectory>().Path));

        services.AddSingleton<TokenAcceptance>();
        services.AddSingleton<RevocationCache>();
        services.AddScoped<RevocationService>();
        services.AddHostedService<RevocationSync>();

        services.AddSingleton<TokenValidator>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeys, IOptions<AuthOptions>, TimeProvider>((jwt, keys, auth, clock) => Configure(jwt, keys, auth.Value, clock));
        services.AddAuthorization();
        return services;
    }

    // Lifetimes are checked on clock, the one the hub's expiry timers run on.
    public static TokenValidationParameters ValidationParameters(SigningKeys keys, AuthOptions auth, TimeProvider clock) => new()
    {
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
        IssuerSigningKeyResolver = (_, _, kid, _) => keys.Resolve(kid),
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        LifetimeValidator = TokenLifetime.On(clock),
        ClockSkew = TimeSpan.FromSeconds(auth.ClockSkewSeconds),
        // Issuers are checked per key after the signature (TokenAcceptance): which issuer is right depends on the key.
        ValidateIssuer = false,
        ValidateAudience = !string.IsNullOrWhiteSpace(auth.Audience),
        ValidAudiences = Split(auth.Audience),
        NameClaimType = TokenClaims.Username,
        RoleClaimType = TokenClaims.Role,
    };

    private static void Configure(JwtBearerOptions jwt, SigningKeys keys, AuthOptions auth, TimeProvider clock)
    {
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = ValidationParameters(keys, auth, clock);
        jwt.Events = new JwtBearerEvents
        {
            // Every bearer token goes to the one TokenValidator (the hub's too), so REST and the hub cannot drift.
            // The hub reads its own token (access_token or authorize), so /hubs needs nothing from here.
            OnMessageReceived = async ctx =>
            {
                if (TokenValidator.FromHeader(ctx.Request) is not { Length: > 0 } token) return; // no token: anonymous, as before
                var (valid, failure) = await ctx.HttpContext.RequestServices.GetRequiredService<TokenValidator>().ValidateAsync(token);
                if (valid is null)
                {
                    ctx.Fail(failure ?? new SecurityTokenValidationException());
                    return;
                }
                ctx.Principal = valid.Principal;
                ctx.Success();
            },
            OnChallenge = async ctx =>
            {
                ctx.HandleResponse();
                var message = TokenRules.Describe(ctx.AuthenticateFailure, hasToken: ctx.Request.Headers.Authorization.Count > 0);
                await ApiErrors.Write(ctx.HttpContext, ApiError.Unauthorized(message));
            },
            OnForbidden = ctx => ApiErrors.Write(ctx.HttpContext, ApiError.Forbidden("Your role may not do this")),
        };
    }

    internal static string[] Split(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
