//! A tiny scripted HTTP/1.1 server on loopback for the feed tests: one reply behaviour at a
//! time, switched by the test.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone)]
pub enum Reply {
    Feed {
        body: Vec<u8>,
        etag: String,
    },
    Status(u16),
    Endless,
    Truncated,
    Silent,
    /// A body per request path; 404 for any other path.
    Paths(Vec<(String, Vec<u8>)>),
}

/// A one-behaviour-at-a-time HTTP/1.1 server on 127.0.0.1, for as long as the test runs.
pub struct Server {
    pub port: u16,
    reply: Arc<Mutex<Reply>>,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(reply: Reply) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let reply = Arc::new(Mutex::new(reply));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (r, q) = (reply.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let (r, q) = (r.clone(), q.clone());
                std::thread::spawn(move || serve(stream, &r, &q));
            }
        });
        Server {
            port,
            reply,
            requests,
        }
    }

    pub fn set(&self, reply: Reply) {
        *self.reply.lock().unwrap() = reply;
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/feed/plaza-tv", self.port)
    }
}

fn serve(mut stream: TcpStream, reply: &Mutex<Reply>, requests: &Mutex<Vec<String>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_string();
    requests.lock().unwrap().push(head.clone());
    let reply = reply.lock().unwrap().clone();
    let _ = match reply {
        Reply::Feed { body, etag } => {
            if head.to_ascii_lowercase().contains(&format!("if-none-match: {}", etag.to_ascii_lowercase())) {
                stream.write_all(b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n")
            } else {
                let header = format!("HTTP/1.1 200 OK\r\nETag: {etag}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                stream.write_all(header.as_bytes()).and_then(|_| stream.write_all(&body))
            }
        }
        Reply::Status(code) => stream.write_all(format!("HTTP/1.1 {code} Oops\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes()),
        Reply::Endless => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
            let chunk = vec![b'x'; 64 * 1024];
            loop {
                if stream.write_all(&chunk).is_err() {
                    break Ok(());
                }
            }
        }
        Reply::Truncated => stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n{\"payloadType\":"),
        Reply::Paths(routes) => {
            let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
            match routes.iter().find(|(p, _)| *p == path) {
                Some((_, body)) => {
                    let header = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                    stream.write_all(header.as_bytes()).and_then(|_| stream.write_all(body))
                }
                None => stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
            }
        }
        Reply::Silent => {
            std::thread::sleep(Duration::from_secs(30));
            Ok(())
        }
    };
}
