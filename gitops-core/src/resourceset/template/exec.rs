//! The executor: walks the tree with text/template's semantics (pipelines pass the
//! previous value as the last argument, `missingkey=error`, `and`/`or` short-circuit,
//! variable scopes end at `end`), and reports errors at the node text/template would.

use std::collections::BTreeMap;

use super::funcs::{self, Ctx, Func, P};
use super::parse::{Branch, Item, Node, Pipe};
use super::value::V;
use super::{Error, MAX_ITERATIONS, MAX_OUTPUT};

/// A value or text/template's invalid `reflect.Value` (`None`).
type Val = Option<V>;
type R<T> = Result<T, Error>;

enum Flow {
    Normal,
    Break,
    Continue,
}

pub(crate) struct State<'a> {
    src: &'a str,
    name: &'a str,
    ctx: Ctx,
    vars: Vec<(String, Val)>,
    pub out: String,
    at_pos: usize,
    at_ctx: String,
    iterations: usize,
}

impl<'a> State<'a> {
    pub(crate) fn new(src: &'a str, name: &'a str, inputs: V) -> Self {
        State {
            src,
            name,
            ctx: Ctx { inputs },
            vars: vec![("$".into(), None)],
            out: String::new(),
            at_pos: 0,
            at_ctx: String::new(),
            iterations: 0,
        }
    }

    fn at(&mut self, pos: usize, ctx: impl std::fmt::Display) {
        self.at_pos = pos;
        self.at_ctx = ctx.to_string();
    }

    fn at_node(&mut self, n: &Node) {
        self.at(n.pos(), n);
    }

    fn errorf(&self, msg: impl Into<String>) -> Error {
        let before = self.src.get(..self.at_pos).unwrap_or(self.src);
        let line = 1 + before.matches('\n').count();
        let column = match before.rfind('\n') {
            Some(i) => self.at_pos - i - 1,
            None => self.at_pos,
        };
        let context = self.at_ctx.clone();
        Error::Exec { name: self.name.to_owned(), line, column, context, message: msg.into() }
    }

    pub(crate) fn run(&mut self, items: &[Item]) -> R<()> {
        self.walk(&None, items).map(|_| ())
    }

    fn walk(&mut self, dot: &Val, items: &[Item]) -> R<Flow> {
        for item in items {
            match item {
                Item::Text(t) => self.write(t)?,
                Item::Action { pos, pipe } => {
                    self.at(*pos, format_args!("{{{{{pipe}}}}}"));
                    let v = self.eval_pipeline(dot, pipe)?;
                    if pipe.decl.is_empty() {
                        self.print_value(v)?;
                    }
                }
                Item::If(b) => {
                    if let f @ (Flow::Break | Flow::Continue) = self.if_or_with(dot, b, false)? {
                        return Ok(f);
                    }
                }
                Item::With(b) => {
                    if let f @ (Flow::Break | Flow::Continue) = self.if_or_with(dot, b, true)? {
                        return Ok(f);
                    }
                }
                Item::Range(b) => self.range(dot, b)?,
                Item::Break => return Ok(Flow::Break),
                Item::Continue => return Ok(Flow::Continue),
            }
        }
        Ok(Flow::Normal)
    }

    fn write(&mut self, s: &str) -> R<()> {
        if self.out.len() + s.len() > MAX_OUTPUT {
            return Err(Error::Limit(format!("template output exceeds {MAX_OUTPUT} bytes")));
        }
        self.out.push_str(s);
        Ok(())
    }

    fn print_value(&mut self, v: Val) -> R<()> {
        let text = match v {
            None | Some(V::Nil) => "<no value>".to_owned(),
            Some(v) => v.sprint().map_err(|m| self.errorf(m))?,
        };
        self.write(&text)
    }

    fn if_or_with(&mut self, dot: &Val, b: &Branch, with: bool) -> R<Flow> {
        let mark = self.vars.len();
        let v = self.eval_pipeline(dot, &b.pipe)?;
        let truth = v.as_ref().is_some_and(V::truth);
        let flow = if truth {
            if with { self.walk(&v, &b.list)? } else { self.walk(dot, &b.list)? }
        } else if !b.else_list.is_empty() {
            self.walk(dot, &b.else_list)?
        } else {
            Flow::Normal
        };
        self.vars.truncate(mark);
        Ok(flow)
    }

    fn range(&mut self, dot: &Val, r: &Branch) -> R<()> {
        self.at(r.pos, &r.pipe);
        let outer = self.vars.len();
        let val = self.eval_pipeline(dot, &r.pipe)?;
        let mark = self.vars.len();
        let pairs: Vec<(V, V)> = match &val {
            None => Vec::new(),
            Some(v @ (V::List(_) | V::Strs(_) | V::Ints(_))) => v
                .elements()
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, e)| (V::Int(i as i64), e))
                .collect(),
            Some(V::Map(m)) => {
                m.borrow().iter().map(|(k, v)| (V::str(k.as_str()), v.clone())).collect()
            }
            Some(V::StrMap(m)) => {
                m.iter().map(|(k, v)| (V::str(k.as_str()), V::str(v.as_str()))).collect()
            }
            Some(V::Int(n) | V::I64(n)) => {
                if r.pipe.decl.len() > 1 {
                    return Err(self
                        .errorf(format!("can't use {n} to iterate over more than one variable")));
                }
                if *n as u64 > MAX_ITERATIONS as u64 && *n > 0 {
                    return Err(Error::Limit(format!(
                        "range over {n}: more than {MAX_ITERATIONS} iterations"
                    )));
                }
                let int =
                    |i: i64| if matches!(val, Some(V::I64(_))) { V::I64(i) } else { V::Int(i) };
                (0..(*n).max(0)).map(|i| (int(i), int(i))).collect()
            }
            Some(other) => {
                let shown = other.sprint().unwrap_or_default();
                return Err(self.errorf(format!("range can't iterate over {shown}")));
            }
        };
        if pairs.is_empty() {
            if !r.else_list.is_empty() {
                self.walk(dot, &r.else_list)?;
            }
            self.vars.truncate(outer);
            return Ok(());
        }
        for (index, elem) in pairs {
            self.iterations += 1;
            if self.iterations > MAX_ITERATIONS {
                return Err(Error::Limit(format!("more than {MAX_ITERATIONS} range iterations")));
            }
            let d = &r.pipe.decl;
            if !d.is_empty() {
                if r.pipe.is_assign {
                    let first = if d.len() > 1 { index.clone() } else { elem.clone() };
                    self.set_var(&d[0], Some(first))?;
                } else if let Some(top) =
                    self.vars.len().checked_sub(1).and_then(|i| self.vars.get_mut(i))
                {
                    top.1 = Some(elem.clone());
                }
            }
            if d.len() > 1 {
                if r.pipe.is_assign {
                    self.set_var(&d[1], Some(elem.clone()))?;
                } else if let Some(top) =
                    self.vars.len().checked_sub(2).and_then(|i| self.vars.get_mut(i))
                {
                    top.1 = Some(index.clone());
                }
            }
            let flow = self.walk(&Some(elem), &r.list)?;
            self.vars.truncate(mark);
            if let Flow::Break = flow {
                break;
            }
        }
        self.vars.truncate(outer);
        Ok(())
    }

    fn set_var(&mut self, name: &str, v: Val) -> R<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(slot) => {
                slot.1 = v;
                Ok(())
            }
            None => Err(self.errorf(format!("undefined variable: {name}"))),
        }
    }

    fn var_value(&self, name: &str) -> R<Val> {
        match self.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => Err(self.errorf(format!("undefined variable: {name}"))),
        }
    }

    fn eval_pipeline(&mut self, dot: &Val, pipe: &Pipe) -> R<Val> {
        self.at(pipe.pos, pipe);
        let mut value: Option<Val> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, &cmd.args, value)?;
            value = Some(match v {
                Some(V::Nil) => None,
                other => other,
            });
        }
        let value = value.flatten();
        for d in &pipe.decl {
            if pipe.is_assign {
                self.set_var(d, value.clone())?;
            } else {
                self.vars.push((d.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Node], final_: &Option<Val>) -> R<()> {
        if args.len() > 1 || final_.is_some() {
            let first = args.first().map(ToString::to_string).unwrap_or_default();
            return Err(self.errorf(format!("can't give argument to non-function {first}")));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Val, args: &[Node], final_: Option<Val>) -> R<Val> {
        let Some(first) = args.first() else { return Ok(None) };
        match first {
            Node::Field { idents, .. } => {
                self.at_node(first);
                return self.eval_field_chain(dot.clone(), idents, args, final_);
            }
            Node::Chain { .. } => return self.eval_chain(dot, first, args, final_),
            Node::Identifier { name, .. } => {
                let cmd = (first.pos(), super::parse::Command { args: args.to_vec() }.to_string());
                return self.eval_function(dot, first, name, Some(args), final_, cmd);
            }
            Node::Pipe(p) => {
                self.not_a_function(args, &final_)?;
                return self.eval_pipeline(dot, p);
            }
            Node::Variable { idents, .. } => {
                return self.eval_variable(first, idents, args, final_);
            }
            _ => {}
        }
        self.at_node(first);
        self.not_a_function(args, &final_)?;
        match first {
            Node::Bool(_, b) => Ok(Some(V::Bool(*b))),
            Node::Dot(_) => Ok(dot.clone()),
            Node::Nil(_) => Err(self.errorf("nil is not a command")),
            Node::Number(n) => self.ideal_constant(n).map(Some),
            Node::Str { val, .. } => Ok(Some(V::str(val.as_str()))),
            _ => Err(self.errorf(format!("can't evaluate command {:?}", first.to_string()))),
        }
    }

    fn ideal_constant(&mut self, n: &super::parse::Number) -> R<V> {
        self.at(n.pos, &n.text);
        let t = &n.text;
        let hex = t.len() > 2 && (t.starts_with("0x") || t.starts_with("0X"));
        if n.is_char {
            return Ok(V::Int(n.int.unwrap_or(0)));
        }
        if let Some(f) = n.float
            && !hex
            && t.contains(['.', 'e', 'E', 'p', 'P'])
        {
            return Ok(V::Float(f));
        }
        if let Some(i) = n.int {
            return Ok(V::Int(i));
        }
        if let Some(f) = n.float {
            return Ok(V::Float(f));
        }
        Err(self.errorf(format!("{t} overflows int")))
    }

    fn eval_variable(
        &mut self,
        node: &Node,
        idents: &[String],
        args: &[Node],
        final_: Option<Val>,
    ) -> R<Val> {
        self.at_node(node);
        let name = idents.first().map(String::as_str).unwrap_or("$");
        let value = self.var_value(name)?;
        if idents.len() == 1 {
            self.not_a_function(args, &final_)?;
            return Ok(value);
        }
        self.eval_field_chain(value, &idents[1..], args, final_)
    }

    fn eval_chain(
        &mut self,
        dot: &Val,
        chain: &Node,
        args: &[Node],
        final_: Option<Val>,
    ) -> R<Val> {
        self.at_node(chain);
        let Node::Chain { node, fields, .. } = chain else { return Ok(None) };
        if let Node::Nil(_) = node.as_ref() {
            return Err(self.errorf(format!("indirection through explicit nil in {chain}")));
        }
        let recv = self.eval_arg(dot, None, node)?;
        self.eval_field_chain(recv, fields, args, final_)
    }

    fn eval_field_chain(
        &mut self,
        mut recv: Val,
        idents: &[String],
        args: &[Node],
        final_: Option<Val>,
    ) -> R<Val> {
        let Some((last, init)) = idents.split_last() else { return Ok(recv) };
        for name in init {
            recv = self.eval_field(name, &[], None, recv)?;
        }
        self.eval_field(last, args, final_, recv)
    }

    fn eval_field(&mut self, name: &str, args: &[Node], final_: Option<Val>, recv: Val) -> R<Val> {
        let has_args = args.len() > 1 || final_.is_some();
        let q = funcs::go_quote(name);
        match recv {
            None => Err(self.errorf(format!("nil data; no entry for key {q}"))),
            Some(V::Nil) => {
                Err(self.errorf(format!("nil pointer evaluating interface {{}}.{name}")))
            }
            Some(V::Map(m)) => {
                if has_args {
                    return Err(self.errorf(format!("{name} is not a method but has arguments")));
                }
                let got = m.borrow().get(name).cloned();
                match got {
                    Some(v) => Ok(Some(v)),
                    None => Err(self.errorf(format!("map has no entry for key {q}"))),
                }
            }
            Some(V::StrMap(m)) => {
                if has_args {
                    return Err(self.errorf(format!("{name} is not a method but has arguments")));
                }
                match m.get(name) {
                    Some(v) => Ok(Some(V::str(v.as_str()))),
                    None => Err(self.errorf(format!("map has no entry for key {q}"))),
                }
            }
            // Values reach here from maps and lists, where Go sees `interface {}`.
            Some(_) => {
                Err(self.errorf(format!("can't evaluate field {name} in type interface {{}}")))
            }
        }
    }

    fn eval_function(
        &mut self,
        dot: &Val,
        node: &Node,
        name: &str,
        args: Option<&[Node]>,
        final_: Option<Val>,
        cmd: (usize, String),
    ) -> R<Val> {
        self.at_node(node);
        let (f, builtin) = match funcs::lookup(name) {
            Some(f) => (f, false),
            None => match funcs::builtin(name) {
                Some(f) => (f, true),
                None => {
                    return Err(
                        self.errorf(format!("{} is not a defined function", funcs::go_quote(name)))
                    );
                }
            },
        };
        self.eval_call(dot, &f, builtin, cmd, name, args, final_)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_call(
        &mut self,
        dot: &Val,
        f: &Func,
        builtin: bool,
        cmd: (usize, String),
        name: &str,
        args: Option<&[Node]>,
        final_: Option<Val>,
    ) -> R<Val> {
        let args = args.map(|a| a.get(1..).unwrap_or(&[])).unwrap_or(&[]);
        let num_in = args.len() + usize::from(final_.is_some());
        let fixed = f.fixed.len();
        if f.variadic.is_some() {
            if num_in < fixed {
                return Err(self.errorf(format!(
                    "wrong number of args for {name}: want at least {fixed} got {}",
                    args.len()
                )));
            }
        } else if num_in != fixed {
            return Err(
                self.errorf(format!("wrong number of args for {name}: want {fixed} got {num_in}"))
            );
        }
        if builtin && (name == "and" || name == "or") {
            let mut v: Val = None;
            for a in args {
                v = self.eval_arg(dot, Some(P::Any), a)?;
                let v2 = match v {
                    Some(V::Nil) => None,
                    ref o => o.clone(),
                };
                if v2.as_ref().is_some_and(V::truth) == (name == "or") {
                    return Ok(v2);
                }
                v = v2;
            }
            if let Some(fv) = final_ {
                v = fv;
            }
            return Ok(v);
        }
        let mut argv: Vec<V> = Vec::with_capacity(num_in);
        for (i, a) in args.iter().enumerate() {
            let t = f.fixed.get(i).copied().or(f.variadic).unwrap_or(P::Any);
            let v = self.eval_arg(dot, Some(t), a)?;
            argv.push(v.unwrap_or(V::Nil));
        }
        if let Some(fv) = final_ {
            let t = if f.variadic.is_some() && num_in > fixed {
                f.variadic.unwrap_or(P::Any)
            } else {
                f.fixed.get(num_in - 1).copied().unwrap_or(P::Any)
            };
            let v = self.validate(fv, Some(t))?;
            argv.push(v.unwrap_or(V::Nil));
        }
        match (f.call)(&self.ctx, argv) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                self.at(cmd.0, cmd.1);
                Err(self.errorf(format!("error calling {name}: {e}")))
            }
        }
    }

    fn validate(&self, v: Val, typ: Option<P>) -> R<Val> {
        let Some(t) = typ else { return Ok(v) };
        match v {
            None => match t {
                P::Any | P::Map => Ok(Some(V::Nil)),
                _ => Err(self.errorf(format!("invalid value; expected {}", t.go_name()))),
            },
            Some(v) => {
                let ok = match t {
                    P::Any => true,
                    P::Str => matches!(v, V::Str(_)),
                    P::Int => matches!(v, V::Int(_)),
                    P::Bool => matches!(v, V::Bool(_)),
                    P::Map => matches!(v, V::Map(_)),
                };
                if ok {
                    Ok(Some(v))
                } else {
                    let got = if matches!(v, V::Nil) { "interface {}" } else { v.type_name() };
                    Err(self.errorf(format!(
                        "wrong type for value; expected {}; got {got}",
                        t.go_name()
                    )))
                }
            }
        }
    }

    fn eval_arg(&mut self, dot: &Val, typ: Option<P>, n: &Node) -> R<Val> {
        self.at_node(n);
        match n {
            Node::Dot(_) => return self.validate(dot.clone(), typ),
            Node::Nil(_) => {
                return match typ {
                    None | Some(P::Any | P::Map) => Ok(Some(V::Nil)),
                    Some(t) => Err(self.errorf(format!("cannot assign nil to {}", t.go_name()))),
                };
            }
            Node::Field { idents, .. } => {
                self.at_node(n);
                let v =
                    self.eval_field_chain(dot.clone(), idents, std::slice::from_ref(n), None)?;
                return self.validate(v, typ);
            }
            Node::Variable { idents, .. } => {
                let v = self.eval_variable(n, idents, &[], None)?;
                return self.validate(v, typ);
            }
            Node::Pipe(p) => {
                let v = self.eval_pipeline(dot, p)?;
                return self.validate(v, typ);
            }
            Node::Identifier { name, .. } => {
                let v = self.eval_function(dot, n, name, None, None, (n.pos(), n.to_string()))?;
                return self.validate(v, typ);
            }
            Node::Chain { .. } => {
                let v = self.eval_chain(dot, n, &[], None)?;
                return self.validate(v, typ);
            }
            _ => {}
        }
        match typ {
            Some(P::Bool) => match n {
                Node::Bool(_, b) => Ok(Some(V::Bool(*b))),
                _ => Err(self.errorf(format!("expected bool; found {n}"))),
            },
            Some(P::Int) => match n {
                Node::Number(num) if num.int.is_some() => Ok(Some(V::Int(num.int.unwrap_or(0)))),
                _ => Err(self.errorf(format!("expected integer; found {n}"))),
            },
            Some(P::Str) => match n {
                Node::Str { val, .. } => Ok(Some(V::str(val.as_str()))),
                _ => Err(self.errorf(format!("expected string; found {n}"))),
            },
            Some(P::Map) => {
                Err(self
                    .errorf(format!("can't handle {n} for arg of type map[string]interface {{}}")))
            }
            Some(P::Any) | None => match n {
                Node::Bool(_, b) => Ok(Some(V::Bool(*b))),
                Node::Number(num) => self.ideal_constant(num).map(Some),
                Node::Str { val, .. } => Ok(Some(V::str(val.as_str()))),
                _ => Err(self
                    .errorf(format!("can't handle assignment of {n} to empty interface argument"))),
            },
        }
    }
}

/// The input set as the value `inputs` returns (`nil` map when there is none).
pub(crate) fn inputs_value(v: &crate::yaml::Value) -> V {
    match v {
        crate::yaml::Value::Null => V::map(BTreeMap::new()),
        other => V::from_value(other),
    }
}
