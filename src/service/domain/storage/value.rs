//! The values and errors both engines share (`sql::Conn` and `pg`): a value as either stores it,
//! the Rust types bound to and read from it, a statement's parameters, a failed statement.

/// A value as the two engines store it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// A Rust value bound as a parameter.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

macro_rules! integer_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                // u64 and usize above i64::MAX do not occur in counts; saturate rather than wrap.
                Value::Integer(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
integer_to_value!(i8, i16, i32, i64, u8, u16, u32, u64, usize);

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Integer(i64::from(*self))
    }
}
impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}
impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}
impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}
impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

/// A statement's parameters: `[]`, `[x]`, `params![a, b]`, `params_from_iter(values)`.
pub trait Params {
    fn values(self) -> Vec<Value>;
}

impl Params for [&dyn ToValue; 0] {
    fn values(self) -> Vec<Value> {
        Vec::new()
    }
}
impl Params for &[&dyn ToValue] {
    fn values(self) -> Vec<Value> {
        self.iter().map(|v| v.to_value()).collect()
    }
}
impl Params for Vec<Value> {
    fn values(self) -> Vec<Value> {
        self
    }
}
macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<T: ToValue> Params for [T; $n] {
            fn values(self) -> Vec<Value> {
                self.iter().map(ToValue::to_value).collect()
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8);

/// Parameters from an iterator of values (a list of variable length).
pub fn params_from_iter(values: impl IntoIterator<Item = Value>) -> Vec<Value> {
    values.into_iter().collect()
}

/// `params![a, b, c]`: parameters of different types.
#[macro_export]
#[doc(hidden)]
macro_rules! storage_params {
    () => { &[] as &[&dyn $crate::service::domain::storage::sql::ToValue] };
    ($($p:expr),+ $(,)?) => {
        &[$(&$p as &dyn $crate::service::domain::storage::sql::ToValue),+]
            as &[&dyn $crate::service::domain::storage::sql::ToValue]
    };
}
pub use crate::storage_params as params;

/// A failed statement, from either engine.
#[derive(Debug, thiserror::Error)]
pub enum SqlError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Postgres(String, Option<String>),
    #[error("the query returned no rows")]
    NoRows,
    #[error("column {column}: {reason}")]
    Conversion { column: usize, reason: String },
}

impl SqlError {
    /// Whether a constraint or a rule (a trigger's refusal) refused the statement.
    pub fn is_constraint(&self) -> bool {
        match self {
            SqlError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                e.code == rusqlite::ErrorCode::ConstraintViolation
            }
            SqlError::Postgres(_, Some(code)) => code.starts_with("23"),
            _ => false,
        }
    }

    /// Whether the connection itself failed (the server went away, a failover): the work may
    /// be tried again on a new connection.
    pub fn is_connection(&self) -> bool {
        match self {
            SqlError::Postgres(_, code) => code
                .as_deref()
                .is_none_or(|c| c.starts_with("08") || c.starts_with("57P") || c == "25006"),
            _ => false,
        }
    }
}

/// A Rust value read from a column.
pub trait FromValue: Sized {
    fn from_value(v: Value) -> Result<Self, String>;
}

macro_rules! integer_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: Value) -> Result<Self, String> {
                match v {
                    Value::Integer(i) => <$t>::try_from(i)
                        .map_err(|_| format!("{i} does not fit {}", stringify!($t))),
                    other => Err(format!("{other:?} is not an integer")),
                }
            }
        }
    )*};
}
integer_from_value!(i32, i64, u8, u16, u32, u64, usize);

impl FromValue for bool {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Integer(i) => Ok(i != 0),
            other => Err(format!("{other:?} is not a flag")),
        }
    }
}
impl FromValue for f64 {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Real(f) => Ok(f),
            Value::Integer(i) => Ok(i as f64),
            other => Err(format!("{other:?} is not a number")),
        }
    }
}
impl FromValue for String {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s),
            other => Err(format!("{other:?} is not text")),
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b),
            Value::Text(s) => Ok(s.into_bytes()),
            other => Err(format!("{other:?} is not bytes")),
        }
    }
}
impl FromValue for Value {
    fn from_value(v: Value) -> Result<Self, String> {
        Ok(v)
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}
