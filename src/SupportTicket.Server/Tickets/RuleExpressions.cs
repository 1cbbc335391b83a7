using System.Linq.Expressions;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.Tickets;

// Turns a rule written once on plain values (an owner id, a status, a note flag) into a predicate on an entity, so the
// same expression serves EF queries and, compiled, in-memory checks.
internal static class RuleExpressions
{
    // rule applied to field of an entity and to viewer. The viewer goes in as a constant, so EF turns viewer.Id and
    // viewer.IsStaff into query parameters.
    public static Expression<Func<TEntity, bool>> For<TEntity, TField>(
        Expression<Func<TField, CurrentUser, bool>> rule, Expression<Func<TEntity, TField>> field, CurrentUser viewer)
    {
        var body = new Replace(rule.Parameters[0], field.Body)
            .And(rule.Parameters[1], Expression.Constant(viewer, typeof(CurrentUser)))
            .Visit(rule.Body);
        return Expression.Lambda<Func<TEntity, bool>>(body, field.Parameters);
    }

    public static Expression<Func<TEntity, bool>> On<TEntity, TField>(Expression<Func<TField, bool>> rule, Expression<Func<TEntity, TField>> field) =>
        Expression.Lambda<Func<TEntity, bool>>(new Replace(rule.Parameters[0], field.Body).Visit(rule.Body), field.Parameters);

    public static Expression<Func<T, bool>> Not<T>(Expression<Func<T, bool>> predicate) =>
        Expression.Lambda<Func<T, bool>>(Expression.Not(predicate.Body), predicate.Parameters);

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        private readonly Dictionary<ParameterExpression, Expression> _map = new() { [from] = to };

        public Replace And(ParameterExpression parameter, Expression with)
        {
            _map[parameter] = with;
            return this;
        }

        protected override Expression VisitParameter(ParameterExpression node) => _map.GetValueOrDefault(node, node);
    }
}
