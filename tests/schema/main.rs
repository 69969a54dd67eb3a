//! Avro schema compatibility as Apache Avro's Java `SchemaCompatibility` decides it (every case
//! of its tests and of lang/py's `test_compatibility.py`), the parser's errors, and Confluent
//! Schema Registry's compatibility modes. `avro_diff.py` compares the command line with the PyPI
//! `avro` package on those pairs and thousands of random ones.

#[macro_use]
mod avro_fixtures;
mod avro_cases;
mod avro_cases_py;
mod compat_rules;
mod parser;
mod parser_props;
mod registry;
