document.body.append("ok");
